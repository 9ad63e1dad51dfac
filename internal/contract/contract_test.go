package contract_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/floatme/auth0-wasm-actions/internal/abi"
	"github.com/floatme/auth0-wasm-actions/internal/contract"
)

var str = abi.StringValue

var setSpec = contract.CallSpec{Op: "user.setUserMetadata", Args: []contract.ArgSpec{
	{Kind: abi.String, OneOf: []abi.Value{str("last_ip")}},
	{Kind: abi.String, MaxLen: 4},
}}

var sample = contract.Contract{
	Action: "sample",
	Reads:  []string{"user.email", "secrets.A", "secrets.B", "request.ip"},
	Outcomes: []contract.Outcome{
		{Reason: "none", Decision: "skip"},
		{Reason: "two", Decision: "record", Calls: []contract.CallSpec{
			setSpec,
			{Op: "multifactor.enable", Args: []contract.ArgSpec{{Kind: abi.String}}},
		}},
	},
}

func set(v string) abi.Call {
	return abi.Call{Op: "user.setUserMetadata", Args: []abi.Value{str("last_ip"), str(v)}}
}

func TestCheck(t *testing.T) {
	enable := abi.Call{Op: "multifactor.enable", Args: []abi.Value{str("any")}}
	two := func(calls ...abi.Call) abi.Result { return abi.Result{Reason: "two", Calls: calls} }
	tests := []struct {
		name     string
		res      abi.Result
		decision string
		error    string // "" when allowed
	}{
		{"no calls for a reason that takes none", abi.Result{Reason: "none"}, "skip", ""},
		{"a call for a reason that takes none", abi.Result{Reason: "none", Calls: []abi.Call{enable}}, "", "reason none takes 0 calls, got 1"},
		{"unknown reason", abi.Result{Reason: "nope"}, "", "unknown reason code (4 bytes)"},
		{"exactly the calls", two(set("a"), enable), "record", ""},
		{"one call short", two(set("a")), "", "reason two takes 2 calls, got 1"},
		{"no calls", two(), "", "reason two takes 2 calls, got 0"},
		{"one call over", two(set("a"), enable, enable), "", "reason two takes 2 calls, got 3"},
		{"calls out of order", two(enable, set("a")), "", "call 1: op is not user.setUserMetadata"},
		{"op not in the contract", two(set("a"), abi.Call{Op: "user.delete", Args: []abi.Value{str("x")}}), "", "call 2: op is not multifactor.enable"},
		{"too few args", two(set("a"), abi.Call{Op: "multifactor.enable"}), "", "call 2 multifactor.enable: 0 arguments, want 1"},
		{"too many args", two(set("a"), abi.Call{Op: "multifactor.enable", Args: []abi.Value{str("a"), str("b")}}), "", "call 2 multifactor.enable: 2 arguments, want 1"},
		{"wrong kind", two(set("a"), abi.Call{Op: "multifactor.enable", Args: []abi.Value{abi.BoolValue(true)}}), "", "call 2 multifactor.enable: argument 1: kind bool, want string"},
		{"value not in oneOf", two(abi.Call{Op: "user.setUserMetadata", Args: []abi.Value{str("other"), str("a")}}, enable), "", "call 1 user.setUserMetadata: argument 1: value not allowed"},
		{"string at max length", two(set("1234"), enable), "record", ""},
		{"string one over max length", two(set("12345"), enable), "", "call 1 user.setUserMetadata: argument 2: longer than 4 bytes"},
		{"max length counts bytes", two(set("ééé"), enable), "", "call 1 user.setUserMetadata: argument 2: longer than 4 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			decision, err := sample.Check(tt.res)
			assert.Equal(t, tt.decision, decision)
			if tt.error == "" {
				assert.NoError(t, err)
				return
			}
			assert.EqualError(t, err, tt.error)
		})
	}
}

func TestSecrets(t *testing.T) {
	assert.Equal(t, []string{"A", "B"}, sample.Secrets())
	assert.Equal(t, []string{}, contract.Contract{}.Secrets())
}
