// Package enablemfa sets, at pre-user-registration, the app metadata flags
// that make the MFA action challenge the new user.
package enablemfa

import (
	"github.com/floatme/auth0-wasm-actions/internal/abi"
	"github.com/floatme/auth0-wasm-actions/internal/contract"
)

// ReasonFlagsSet is the one reason code: the flags are always set.
const ReasonFlagsSet = "mfa-flags-set"

// The app metadata keys the action sets to true.
const (
	KeyRequireMFA   = "auth_require_mfa"
	KeyNewMFAAction = "uses_new_mfa_action"
)

var calls = []abi.Call{setFlag(KeyRequireMFA), setFlag(KeyNewMFAAction)}

func setFlag(key string) abi.Call {
	return abi.Call{Op: contract.OpSetAppMetadata, Args: []abi.Value{abi.StringValue(key), abi.BoolValue(true)}}
}

func setFlagSpec(key string) contract.CallSpec {
	return contract.CallSpec{Op: contract.OpSetAppMetadata, Args: []contract.ArgSpec{
		{Kind: abi.String, OneOf: []abi.Value{abi.StringValue(key)}},
		{Kind: abi.Bool, OneOf: []abi.Value{abi.BoolValue(true)}},
	}}
}

// Contract is enable_mfa's contract. It reads nothing, and its fallback is
// its own decision: no user is created without the MFA flag, which is
// guarded (the migration flag is not).
var Contract = contract.Contract{
	Action:  "enable_mfa",
	Trigger: contract.PreUserRegistration,
	Outcomes: []contract.Outcome{{
		Reason:   ReasonFlagsSet,
		Decision: "set-flags",
		Calls:    []contract.CallSpec{setFlagSpec(KeyRequireMFA), setFlagSpec(KeyNewMFAAction)},
	}},
	Fallback: calls,
	Guarded:  []contract.Guard{{Op: contract.OpSetAppMetadata, Args: []abi.Value{abi.StringValue(KeyRequireMFA)}}},
}

// Decide sets both flags, whatever the event holds.
func Decide([]abi.Value) abi.Result {
	return abi.Result{Reason: ReasonFlagsSet, Calls: calls}
}
