package host_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/actions"
	"github.com/floatme/auth0-wasm-actions/internal/event"
)

// benchEvent is a typical post-login event of a returning user.
const benchEvent = `{
	"tenant": {"id": "floatme"},
	"transaction": {"protocol": "oidc-basic-profile"},
	"user": {"user_id": "auth0|1", "email": "jane@example.com",
		"app_metadata": {"auth_require_mfa": true}, "user_metadata": {"last_ip": "198.51.100.1"}},
	"stats": {"logins_count": 12},
	"request": {"ip": "203.0.113.7", "body": {}},
	"secrets": {"TEST_TENANT_ID": "floatme-test", "INTEGRATION_TEST_EMAIL_DOMAIN": "integration.test"}
}`

// BenchmarkDecision measures one warm decision per action: natively, and
// through each build's module under wazero (fields in, result out, checked
// against the contract), as the shim does it.
func BenchmarkDecision(b *testing.B) {
	ev, err := event.Parse([]byte(benchEvent))
	require.NoError(b, err)
	for _, a := range actions.All {
		fields, err := event.Fields(ev, a.Contract.Reads)
		require.NoError(b, err)
		b.Run(a.Contract.Action+"/native", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				a.Decide(fields)
			}
		})
		for _, built := range builds {
			b.Run(a.Contract.Action+"/wazero-"+built.compiler, func(b *testing.B) {
				mod := load(b, a.Contract.Action, built.modules[a.Contract.Action])
				b.ReportAllocs()
				for b.Loop() {
					if out := mod.Run(context.Background(), ev); out.Failure != nil {
						b.Fatal(out.Failure)
					}
				}
			})
		}
	}
}
