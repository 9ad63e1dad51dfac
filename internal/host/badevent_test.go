package host_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/actions/ipmeta"
	"github.com/floatme/auth0-wasm-actions/actions/mfa"
	"github.com/floatme/auth0-wasm-actions/internal/abi"
	"github.com/floatme/auth0-wasm-actions/internal/event"
	. "github.com/floatme/auth0-wasm-actions/internal/host"
)

// TestBadEvents: an event whose fields the host cannot send is the host's
// failure (bad-event, side host, as the shim says bad-event side shim), and
// the action falls back without calling its module: a field escaping a lone
// surrogate (which U+FFFD would make equal to another string), or fields
// over the ABI's 16 MiB.
func TestBadEvents(t *testing.T) {
	tests := []struct {
		name, action, event, detail string
	}{
		{"a lone surrogate tenant and TEST_TENANT_ID", mfa.Contract.Action,
			`{"tenant": {"id": "tenant-\udc00"}, "transaction": {"protocol": "oauth2-refresh-token"},
			  "user": {"app_metadata": {"auth_require_mfa": true}}, "secrets": {"TEST_TENANT_ID": "tenant-\ud800"}}`,
			"tenant.id: " + event.ErrIllFormed.Error()},
		{"a lone surrogate in TEST_TENANT_ID only", mfa.Contract.Action,
			`{"tenant": {"id": "tenant-x\ufffd"}, "secrets": {"TEST_TENANT_ID": "tenant-x\udfff"}}`,
			"secrets.TEST_TENANT_ID: " + event.ErrIllFormed.Error()},
		{"a lone surrogate in the local part of a force-MFA email", mfa.Contract.Action,
			`{"tenant": {"id": "floatme-test"}, "transaction": {"protocol": "oauth2-refresh-token"},
			  "user": {"email": "\ud800jane@forcemfa.floatme.io"}, "secrets": {"TEST_TENANT_ID": "floatme-test"}}`,
			"user.email: " + event.ErrIllFormed.Error()},
		{"a lone surrogate last_ip", ipmeta.Contract.Action,
			`{"request": {"ip": "203.0.113.7"}, "user": {"user_metadata": {"last_ip": "203.0.113.7\ud800"}}}`,
			"user.user_metadata.last_ip: " + event.ErrIllFormed.Error()},
		{"an email over 16 MiB", mfa.Contract.Action,
			`{"user": {"email": "` + strings.Repeat("a", abi.MaxRequest) + `"}}`,
			"the fields take 16777234 bytes, over the ABI's 16777216"}, // 5 bytes of header, 8 missing fields, 5 + 16 MiB of email
	}
	eachBuild(t, func(t *testing.T, b *build) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				mod := load(t, tt.action, b.modules[tt.action])
				ev, err := event.Parse([]byte(tt.event))
				require.NoError(t, err)
				out := mod.Run(context.Background(), ev)
				require.NotNil(t, out.Failure, "got a decision, want a failure")
				got := [3]string{out.Failure.Reason, out.Failure.Side, out.Failure.Detail}
				assert.Equal(t, [3]string{ReasonBadEvent, "host", tt.detail}, got, "[reason, side, detail]")
				assert.Equal(t, "fallback", out.Decision)
				assert.Equal(t, mod.Contract().Fallback, out.Calls)
				assert.Equal(t, 0, mod.Instantiations(), "instances: the module is never called")
			})
		}
	})
}
