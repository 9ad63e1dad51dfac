//go:build wasip1

// Command faulty is a test guest serving mfa_action's contract that
// misbehaves when the event's email asks it to (see faultmode.s Email
// constants); for other emails it answers as mfa_action does.
package main

import (
	"encoding/binary"
	"strconv"
	"strings"
	"unsafe"

	"github.com/floatme/auth0-wasm-actions/actions/mfa"
	"github.com/floatme/auth0-wasm-actions/internal/abi"
	"github.com/floatme/auth0-wasm-actions/internal/contract"
	"github.com/floatme/auth0-wasm-actions/internal/guest"
	tg "github.com/floatme/auth0-wasm-actions/internal/testguest/faultmode"
)

// The indexes of user.email and secrets.TEST_TENANT_ID in mfa.Contract.Reads.
const (
	email        = 2
	testTenantID = 6
)

func init() {
	fields := len(mfa.Contract.Reads)
	guest.ServeRaw(func(dst, req []byte) []byte {
		vals, err := abi.DecodeRequest(req)
		if out, ok := echoed(dst[:0], vals); err == nil && ok {
			return out
		}
		if err == nil && len(vals) == fields {
			if out, ok := misbehave(dst[:0], vals); ok {
				return out
			}
		}
		return guest.Respond(dst, fields, decide, req)
	})
}

// echoed returns the response the first field asks for (tg.EchoResponse),
// under any contract.
func echoed(dst []byte, in []abi.Value) ([]byte, bool) {
	if len(in) == 0 {
		return nil, false
	}
	h, ok := strings.CutPrefix(in[0].Str, tg.EchoResponse)
	if !ok || in[0].Kind != abi.String {
		return nil, false
	}
	return appendUnhex(dst, h)
}

// appendUnhex appends the bytes the lower-case hex digits h spell (not
// encoding/hex: it brings the os package, whose imports the shim lacks).
func appendUnhex(dst []byte, h string) ([]byte, bool) {
	const digits = "0123456789abcdef"
	if len(h)%2 != 0 {
		return nil, false
	}
	for i := 0; i < len(h); i += 2 {
		hi, lo := strings.IndexByte(digits, h[i]), strings.IndexByte(digits, h[i+1])
		if hi < 0 || lo < 0 {
			return nil, false
		}
		dst = append(dst, byte(hi<<4|lo))
	}
	return dst, true
}

// misbehave returns raw response bytes for the emails that break the ABI
// or answer strings a host must not take for others.
func misbehave(dst []byte, in []abi.Value) ([]byte, bool) {
	switch in[email].Str {
	case tg.EmailGarbage:
		return append(dst, abi.Version, 0, 0xff, 0xff), true
	case tg.EmailBadUTF8:
		return abi.AppendResult(dst, abi.Result{Reason: "first-login\xff"}), true // AppendResult writes any bytes
	case tg.EmailBOMReason:
		return abi.AppendResult(dst, abi.Result{Reason: "\ufeff" + mfa.ReasonFirstLogin}), true
	}
	return nil, false
}

func decide(in []abi.Value) abi.Result {
	enable := func(arg string) abi.Call {
		return abi.Call{Op: contract.OpMultifactorEnable, Args: []abi.Value{abi.StringValue(arg)}}
	}
	switch in[email].Str {
	case tg.EmailPanic:
		panic("faulty guest panics on purpose")
	case tg.EmailExit:
		procExit(3)
	case tg.EmailDeadlock:
		select {}
	case tg.EmailForbiddenOp:
		return abi.Result{Reason: mfa.ReasonMFARequired, Calls: []abi.Call{{Op: "user.delete"}}}
	case tg.EmailForbiddenArg:
		return abi.Result{Reason: mfa.ReasonMFARequired, Calls: []abi.Call{enable("sms")}}
	case tg.EmailTooManyCalls:
		return abi.Result{Reason: mfa.ReasonMFARequired, Calls: []abi.Call{enable("any"), enable("any")}}
	case tg.EmailNoChallenge:
		return abi.Result{Reason: mfa.ReasonMFARequired}
	case tg.EmailUnknownReason:
		return abi.Result{Reason: "because"}
	case tg.EmailSleep:
		sleep(20_000_000)
		return abi.Result{Reason: mfa.ReasonNotRequired}
	case tg.EmailExhaust:
		exhaust()
		return abi.Result{Reason: mfa.ReasonNotRequired}
	case tg.EmailEchoSecret:
		panic("the test tenant is " + in[testTenantID].Str)
	}
	return mfa.Decide(in)
}

// kept holds what exhaust allocates, so that the collector frees none of
// it; the instance that traps takes it with it.
var kept [][]byte

// exhaust allocates tg.ExhaustBytes in 1 MiB blocks, each written to (so
// that it is really there), and keeps them all.
func exhaust() {
	const block = 1 << 20
	for range tg.ExhaustBytes / block {
		b := make([]byte, block)
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1
		}
		kept = append(kept, b)
	}
}

// sleep asks the host's poll_oneoff for one relative clock subscription of
// ns nanoseconds and panics unless exactly that subscription is reported.
func sleep(ns uint64) {
	var sub [48]byte
	var ev [32]byte
	var n uint32
	binary.LittleEndian.PutUint64(sub[0:], 0x5eed) // userdata
	binary.LittleEndian.PutUint32(sub[16:], 1)     // clock id: monotonic
	binary.LittleEndian.PutUint64(sub[24:], ns)    // timeout, relative
	errno := pollOneoff(unsafe.Pointer(&sub), unsafe.Pointer(&ev), 1, unsafe.Pointer(&n))
	if errno != 0 || n != 1 || binary.LittleEndian.Uint64(ev[0:]) != 0x5eed || ev[10] != 0 {
		panic("poll_oneoff: errno " + strconv.Itoa(int(errno)) + ", " + strconv.Itoa(int(n)) + " events")
	}
}

//go:wasmimport wasi_snapshot_preview1 poll_oneoff
func pollOneoff(in, out unsafe.Pointer, nsubscriptions uint32, nevents unsafe.Pointer) uint32

// procExit is WASI's proc_exit, imported directly: the syscall package would
// bring imports the shim does not provide.
//
//go:wasmimport wasi_snapshot_preview1 proc_exit
func procExit(code uint32)

func main() {}
