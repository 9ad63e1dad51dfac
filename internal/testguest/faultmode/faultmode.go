// Package faultmode names the faulty test guest's behaviours. It is apart
// from testguest so that the guest links nothing but these constants.
package faultmode

// Emails that pick the faulty guest's behaviour; any other email gets
// mfa.Decide's answer.
const (
	EmailPanic         = "panic@faulty.test"          // decide panics (recovered: guest-error)
	EmailExit          = "exit@faulty.test"           // proc_exit(3) during decide
	EmailDeadlock      = "deadlock@faulty.test"       // blocks forever: a fatal Go error
	EmailForbiddenOp   = "forbidden-op@faulty.test"   // calls api.user.delete
	EmailForbiddenArg  = "forbidden-arg@faulty.test"  // multifactor.enable("sms")
	EmailTooManyCalls  = "too-many@faulty.test"       // two multifactor.enable calls
	EmailNoChallenge   = "no-challenge@faulty.test"   // mfa-required without its call
	EmailUnknownReason = "unknown-reason@faulty.test" // a reason the contract lacks
	EmailEchoSecret    = "echo-secret@faulty.test"    // an error message holding TEST_TENANT_ID
	EmailGarbage       = "garbage@faulty.test"        // response bytes that break the ABI
	EmailBadUTF8       = "bad-utf8@faulty.test"       // a reason that is not valid UTF-8
	EmailBOMReason     = "bom-reason@faulty.test"     // the reason first-login after a byte-order mark
	EmailSleep         = "sleep@faulty.test"          // sleeps 20 ms through poll_oneoff, then answers not-required
	EmailExhaust       = "exhaust@faulty.test"        // keeps allocating 1 MiB blocks: traps at the memory maximum, else answers not-required after ExhaustBytes
)

// ExhaustBytes is how much the faulty guest keeps allocating for
// EmailExhaust before it gives up and answers: 256 MiB, twice the memory
// maximum (abi.MaxMemory). A module without that maximum answers instead
// of trapping, and the host's memory is not taken for a test.
const ExhaustBytes = 256 << 20

// EchoResponse starts the first field of a request (mfa_action's tenant.id,
// add_ip_to_metadata's request.ip) that asks the faulty guest, under any
// contract, to answer the hex-encoded bytes after it as its response, as
// they are: a swapped module's answer, for the differential tests of the
// two hosts' checks.
const EchoResponse = "echo-response:"
