package diff

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/floatme/auth0-wasm-actions/actions/enablemfa"
	"github.com/floatme/auth0-wasm-actions/internal/abi"
	"github.com/floatme/auth0-wasm-actions/internal/contract"
)

// TestOverwriteChanges: an action that may now write a metadata key
// another action guards, with a value other than the guarded one, weakens
// the policy.
func TestOverwriteChanges(t *testing.T) {
	all := []Action{{Contract: enablemfa.Contract}}
	writer := func(key contract.ArgSpec, value contract.ArgSpec) contract.Contract {
		return contract.Contract{Action: "w", Outcomes: []contract.Outcome{{Reason: "r", Decision: "d",
			Calls: []contract.CallSpec{{Op: contract.OpSetAppMetadata, Args: []contract.ArgSpec{key, value}}}}}}
	}
	key := func(k string) contract.ArgSpec {
		return contract.ArgSpec{Kind: abi.String, OneOf: []abi.Value{abi.StringValue(k)}}
	}
	boolean := func(vals ...bool) contract.ArgSpec {
		a := contract.ArgSpec{Kind: abi.Bool}
		for _, v := range vals {
			a.OneOf = append(a.OneOf, abi.BoolValue(v))
		}
		return a
	}
	anyKey := contract.ArgSpec{Kind: abi.String}
	want := []Change{{Weakens: true, What: `may write user.setAppMetadata("auth_require_mfa", …) with another value, which enable_mfa guards: a login or sign-up after it can lose it`}}
	for name, tt := range map[string]struct {
		c    contract.Contract
		was  *contract.Contract
		want []Change
	}{
		"a new action writing false":       {writer(key("auth_require_mfa"), boolean(false)), nil, want},
		"a new action writing any boolean": {writer(key("auth_require_mfa"), boolean()), nil, want},
		"a new action writing any key":     {writer(anyKey, boolean(true, false)), nil, want},
		"the guarded value itself":         {writer(key("auth_require_mfa"), boolean(true)), nil, nil},
		"another key":                      {writer(key("uses_new_mfa_action"), boolean(false)), nil, nil},
		"a write it could already make": {writer(key("auth_require_mfa"), boolean(false)), func() *contract.Contract {
			c := writer(key("auth_require_mfa"), boolean(false))
			return &c
		}(), nil},
		"the guarding action itself": {enablemfa.Contract, nil, nil},
	} {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tt.want, overwriteChanges(tt.c, tt.was, all))
		})
	}
}
