package contract_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/floatme/auth0-wasm-actions/internal/abi"
	"github.com/floatme/auth0-wasm-actions/internal/contract"
)

var str = abi.StringValue

var sample = contract.Contract{
	Action: "sample",
	Reads:  []string{"user.email", "secrets.A", "secrets.B", "request.ip"},
	Calls: []contract.CallSpec{
		{Op: "user.setUserMetadata", Max: 2, Args: []contract.ArgSpec{
			{Kind: abi.String, OneOf: []abi.Value{str("last_ip")}},
			{Kind: abi.String, MaxLen: 4},
		}},
		{Op: "multifactor.enable", Max: 1, Args: []contract.ArgSpec{{Kind: abi.String}}},
	},
	Outcomes: []contract.Outcome{{Reason: "ok", Decision: "record"}},
}

func set(v string) abi.Call {
	return abi.Call{Op: "user.setUserMetadata", Args: []abi.Value{str("last_ip"), str(v)}}
}

func TestCheck(t *testing.T) {
	enable := abi.Call{Op: "multifactor.enable", Args: []abi.Value{str("any")}}
	tests := []struct {
		name  string
		res   abi.Result
		error string // "" when allowed
	}{
		{"no calls", abi.Result{Reason: "ok"}, ""},
		{"unknown reason", abi.Result{Reason: "nope"}, "unknown reason code (4 bytes)"},
		{"max calls of one op", abi.Result{Reason: "ok", Calls: []abi.Call{set("a"), set("b"), enable}}, ""},
		{"one call over max", abi.Result{Reason: "ok", Calls: []abi.Call{set("a"), set("b"), set("c")}}, "call 3: more than 2 user.setUserMetadata calls"},
		{"op not in contract", abi.Result{Reason: "ok", Calls: []abi.Call{{Op: "user.delete"}}}, "call 1: op not in the contract"},
		{"too few args", abi.Result{Reason: "ok", Calls: []abi.Call{{Op: "multifactor.enable"}}}, "call 1 multifactor.enable: 0 arguments, want 1"},
		{"too many args", abi.Result{Reason: "ok", Calls: []abi.Call{{Op: "multifactor.enable", Args: []abi.Value{str("a"), str("b")}}}}, "call 1 multifactor.enable: 2 arguments, want 1"},
		{"wrong kind", abi.Result{Reason: "ok", Calls: []abi.Call{{Op: "multifactor.enable", Args: []abi.Value{abi.BoolValue(true)}}}}, "call 1 multifactor.enable: argument 1: kind bool, want string"},
		{"value not in oneOf", abi.Result{Reason: "ok", Calls: []abi.Call{{Op: "user.setUserMetadata", Args: []abi.Value{str("other"), str("a")}}}}, "call 1 user.setUserMetadata: argument 1: value not allowed"},
		{"string at max length", abi.Result{Reason: "ok", Calls: []abi.Call{set("1234")}}, ""},
		{"string one over max length", abi.Result{Reason: "ok", Calls: []abi.Call{set("12345")}}, "call 1 user.setUserMetadata: argument 2: longer than 4 bytes"},
		{"max length counts bytes", abi.Result{Reason: "ok", Calls: []abi.Call{set("ééé")}}, "call 1 user.setUserMetadata: argument 2: longer than 4 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			decision, err := sample.Check(tt.res)
			if tt.error == "" {
				assert.NoError(t, err)
				assert.Equal(t, "record", decision)
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

func TestDecision(t *testing.T) {
	d, ok := sample.Decision("ok")
	assert.True(t, ok)
	assert.Equal(t, "record", d)
	_, ok = sample.Decision("")
	assert.False(t, ok)
}
