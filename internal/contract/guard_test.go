package contract_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/floatme/auth0-wasm-actions/internal/abi"
	"github.com/floatme/auth0-wasm-actions/internal/contract"
)

func TestGuardMatches(t *testing.T) {
	flag := contract.Guard{Op: "user.setAppMetadata", Args: []abi.Value{str("auth_require_mfa")}}
	enable := contract.Guard{Op: "multifactor.enable"}
	set := func(args ...abi.Value) abi.Call { return abi.Call{Op: "user.setAppMetadata", Args: args} }
	tests := []struct {
		name  string
		guard contract.Guard
		call  abi.Call
		want  bool
	}{
		{"no args guard matches any args", enable, abi.Call{Op: "multifactor.enable", Args: []abi.Value{str("any")}}, true},
		{"no args guard matches no args", enable, abi.Call{Op: "multifactor.enable"}, true},
		{"another op", enable, set(str("auth_require_mfa"), abi.BoolValue(true)), false},
		{"first argument matches", flag, set(str("auth_require_mfa"), abi.BoolValue(true)), true},
		{"first argument only", flag, set(str("auth_require_mfa")), true},
		{"another key", flag, set(str("uses_new_mfa_action"), abi.BoolValue(true)), false},
		{"key of another kind", flag, set(abi.BoolValue(true), str("auth_require_mfa")), false},
		{"fewer arguments than the guard", flag, set(), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.guard.Matches(tt.call), "Matches(%v)", tt.call)
		})
	}
}

func TestGuardsAddsAlwaysGuarded(t *testing.T) {
	mfa := contract.Guard{Op: "multifactor.enable"}
	deny := contract.Guard{Op: contract.OpAccessDeny}
	assert.Equal(t, []contract.Guard{deny}, contract.Contract{}.Guards(), "no guards of its own")
	assert.Equal(t, []contract.Guard{mfa, deny}, contract.Contract{Guarded: []contract.Guard{mfa}}.Guards())
	assert.Equal(t, []contract.Guard{deny, mfa}, contract.Contract{Guarded: []contract.Guard{deny, mfa}}.Guards(), "access.deny once")
}

func TestUserControlled(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"user.user_metadata", true},
		{"user.user_metadata.skip_mfa", true},
		{"user.user_metadata_x", false},
		{"user.app_metadata.auth_require_mfa", false},
		{"request.body.challengeRequired", true},
		{"request.query.x", true},
		{"request.ip", false},
		{"user.email", true},
		{"user.email_verified", false},
		{"tenant.id", false},
		{"secrets.TEST_TENANT_ID", false},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			assert.Equal(t, tt.want, contract.UserControlled(tt.path))
		})
	}
	c := contract.Contract{Reads: []string{"tenant.id", "request.body.a", "user.email"}}
	assert.Equal(t, []string{"request.body.a", "user.email"}, c.UserControlledReads())
	assert.Equal(t, []string{}, contract.Contract{}.UserControlledReads())
}
