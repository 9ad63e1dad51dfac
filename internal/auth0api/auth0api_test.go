package auth0api_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/actions"
	"github.com/floatme/auth0-wasm-actions/internal/abi"
	"github.com/floatme/auth0-wasm-actions/internal/auth0api"
	"github.com/floatme/auth0-wasm-actions/internal/contract"
)

// TestContractsValidate: every registered action's contract names only
// methods its trigger's api object has.
func TestContractsValidate(t *testing.T) {
	for _, a := range actions.All {
		t.Run(a.Contract.Action, func(t *testing.T) {
			assert.NoError(t, auth0api.Validate(a.Contract))
		})
	}
}

// TestTriggersAgree: the triggers contracts bind to are described with the
// same version and handler.
func TestTriggersAgree(t *testing.T) {
	for _, tr := range []contract.Trigger{contract.PostLogin, contract.PreUserRegistration} {
		d, ok := auth0api.Triggers[tr.ID]
		require.True(t, ok, "api.json has no %s", tr.ID)
		assert.Equal(t, tr.Version, d.Version, "%s version", tr.ID)
		assert.Equal(t, tr.Handler, d.Handler, "%s handler", tr.ID)
	}
}

func TestValidateRefuses(t *testing.T) {
	base := contract.Contract{Action: "x", Trigger: contract.PreUserRegistration}
	tests := []struct {
		name string
		c    func(c contract.Contract) contract.Contract
		want []string
	}{
		{"an outcome op the trigger lacks", func(c contract.Contract) contract.Contract {
			c.Outcomes = []contract.Outcome{{Reason: "r", Decision: "d", Calls: []contract.CallSpec{{Op: contract.OpMultifactorEnable}}}}
			return c
		}, []string{`x: op "multifactor.enable": the pre-user-registration api object has no such method`}},
		{"a fallback op nobody has", func(c contract.Contract) contract.Contract {
			c.Fallback = []abi.Call{{Op: "user.setMetadata"}}
			return c
		}, []string{`op "user.setMetadata"`, "lists access.deny, cache.delete"}},
		{"a guard op the trigger lacks", func(c contract.Contract) contract.Contract {
			c.Guarded = []contract.Guard{{Op: "session.revoke"}}
			return c
		}, []string{`op "session.revoke"`}},
		{"an undescribed trigger", func(c contract.Contract) contract.Contract {
			c.Trigger = contract.Trigger{ID: "password-reset-post-challenge", Version: "v1", Handler: "h"}
			return c
		}, []string{`trigger "password-reset-post-challenge"`}},
		{"another handler", func(c contract.Contract) contract.Contract {
			c.Trigger.Handler = "onExecutePostLogin"
			return c
		}, []string{"handler onExecutePostLogin: the api description has version v2, handler onExecutePreUserRegistration"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := auth0api.Validate(tt.c(base))
			require.Error(t, err)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
	assert.NoError(t, auth0api.Validate(base), "the unchanged contract")
}

func TestOps(t *testing.T) {
	ops, ok := auth0api.Ops("pre-user-registration")
	require.True(t, ok)
	assert.Equal(t, []string{"access.deny", "cache.delete", "cache.get", "cache.set", "user.setAppMetadata", "user.setUserMetadata", "validation.error"}, ops)
	_, ok = auth0api.Ops("no-such-trigger")
	assert.False(t, ok)
}
