package host_test

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/actions"
	"github.com/floatme/auth0-wasm-actions/actions/mfa"
	"github.com/floatme/auth0-wasm-actions/internal/compiler"
	. "github.com/floatme/auth0-wasm-actions/internal/host"
	fm "github.com/floatme/auth0-wasm-actions/internal/testguest/faultmode"
)

func eventWithEmail(email string) map[string]any {
	return map[string]any{
		"user":    map[string]any{"email": email},
		"secrets": map[string]any{"TEST_TENANT_ID": "tenant-secret-value"},
	}
}

// TestFaultsFallBack: every way the guest can fail gives the fallback, says
// which side failed and why, and never takes the host down. A panic is the
// one fault whose reason depends on the compiler: the standard Go guest
// recovers it into an error response (guest-error), a TinyGo guest cannot
// recover on wasm, prints the panic and traps (guest-trap).
func TestFaultsFallBack(t *testing.T) {
	type want struct{ reason, detail string }
	tests := []struct {
		email       string
		go_, tinyGo want // tinyGo's zero value: as go_
	}{
		{fm.EmailPanic, want{ReasonGuestError, "panic: faulty guest panics on purpose"},
			want{ReasonGuestTrap, "wasm error: unreachable: panic: faulty guest panics on purpose"}},
		{fm.EmailExit, want{ReasonGuestTrap, "exited with code 3"}, want{}},
		{fm.EmailDeadlock, want{ReasonGuestTrap, "wasm error: unreachable: fatal error: all goroutines are asleep - deadlock!"},
			want{ReasonGuestTrap, "wasm error: unreachable: panic: runtime error: all goroutines are asleep - deadlock!"}},
		{fm.EmailForbiddenOp, want{ReasonForbidden, "call 1: op is not multifactor.enable"}, want{}},
		{fm.EmailForbiddenArg, want{ReasonForbidden, "call 1 multifactor.enable: argument 1: value not allowed"}, want{}},
		{fm.EmailTooManyCalls, want{ReasonForbidden, "reason mfa-required takes 1 calls, got 2"}, want{}},
		{fm.EmailNoChallenge, want{ReasonForbidden, "reason mfa-required takes 1 calls, got 0"}, want{}},
		{fm.EmailUnknownReason, want{ReasonForbidden, "unknown reason code (7 bytes)"}, want{}},
		{fm.EmailGarbage, want{ReasonBadResponse, ""}, want{}},
		{fm.EmailBadUTF8, want{ReasonBadResponse, "abi: malformed bytes abi: string is not UTF-8 at byte 18"}, want{}},
		{fm.EmailBOMReason, want{ReasonForbidden, "unknown reason code (14 bytes)"}, want{}},
		{fm.EmailEchoSecret, want{ReasonGuestError, "panic: the test tenant is [redacted]"},
			want{ReasonGuestTrap, "wasm error: unreachable: panic: the test tenant is [redacted]"}},
	}
	eachBuild(t, func(t *testing.T, b *build) {
		for _, tt := range tests {
			t.Run(tt.email, func(t *testing.T) {
				w := tt.go_
				if b.compiler == compiler.TinyGo && tt.tinyGo.reason != "" {
					w = tt.tinyGo
				}
				mod := load(t, mfa.Contract.Action, b.faulty)
				out := mod.Run(context.Background(), eventWithEmail(tt.email))
				require.NotNil(t, out.Failure)
				assert.Equal(t, w.reason, out.Failure.Reason, "reason")
				assert.Equal(t, "guest", out.Failure.Side)
				if w.detail != "" {
					assert.Equal(t, w.detail, out.Failure.Detail)
				}
				assert.Equal(t, "fallback", out.Decision)
				assert.Equal(t, mfa.Contract.Fallback, out.Calls)
			})
		}
	})
}

// TestSecretsInGuestOutputAreRedacted: a panic message that echoes a
// secret shows none of it, whole or in part, however the secret is made.
func TestSecretsInGuestOutputAreRedacted(t *testing.T) {
	const shown = "panic: the test tenant is [redacted]"
	secrets := map[string]struct{ secret, shown string }{
		"plain":         {"tenant-secret-value", shown},
		"line break":    {"first-line\nsecond-line", shown},
		"CR LF":         {"first-line\r\nsecond-line", shown},
		"leading space": {"  spaced-secret", shown},
		"non-ASCII":     {"s\u00e9cr\u00e8t-\u2603-value", shown},
		"BOM":           {"\ufeffbom-secret-value", shown},
		// A TinyGo guest prints the secret's line break, and its first
		// line ends before the secret.
		"only one line": {"\nsecond-line-only", "panic: the test tenant is"},
	}
	eachBuild(t, func(t *testing.T, b *build) {
		for name, tt := range secrets {
			secret := tt.secret
			t.Run(name, func(t *testing.T) {
				ev := eventWithEmail(fm.EmailEchoSecret)
				ev["secrets"] = map[string]any{"TEST_TENANT_ID": secret}
				out := load(t, mfa.Contract.Action, b.faulty).Run(context.Background(), ev)
				require.NotNil(t, out.Failure)
				assert.Contains(t, out.Failure.Detail, tt.shown)
				for _, part := range strings.FieldsFunc(secret, func(r rune) bool { return unicode.IsSpace(r) || r == '\ufeff' }) {
					assert.NotContains(t, out.Failure.Detail, part, "a line of the secret is shown")
				}
			})
		}
	})
}

// TestShortSecretWithholdsTheDetail: with a secret too short to redact
// safely, the whole detail is withheld.
func TestShortSecretWithholdsTheDetail(t *testing.T) {
	eachBuild(t, func(t *testing.T, b *build) {
		ev := eventWithEmail(fm.EmailEchoSecret)
		ev["secrets"] = map[string]any{"TEST_TENANT_ID": "t", "OTHER": "a-long-enough-secret"}
		out := load(t, mfa.Contract.Action, b.faulty).Run(context.Background(), ev)
		require.NotNil(t, out.Failure)
		assert.Equal(t, "(withheld: a secret is too short to redact)", out.Failure.Detail)
	})
}

// TestPollOneoffSleeps: the host's poll_oneoff blocks for a clock
// subscription and reports it (the guest checks the event it gets back).
func TestPollOneoffSleeps(t *testing.T) {
	eachBuild(t, func(t *testing.T, b *build) {
		mod := load(t, mfa.Contract.Action, b.faulty)
		require.Nil(t, mod.Run(context.Background(), eventWithEmail("warm@example.com")).Failure)
		start := time.Now()
		out := mod.Run(context.Background(), eventWithEmail(fm.EmailSleep))
		require.Nil(t, out.Failure)
		assert.Equal(t, mfa.ReasonNotRequired, out.Reason)
		assert.GreaterOrEqual(t, time.Since(start), 20*time.Millisecond, "the guest asked for 20 ms")
	})
}

// TestTrapReplacesTheInstance: after a trap the next decision runs in a new
// instance of the same compiled module, and succeeds.
func TestTrapReplacesTheInstance(t *testing.T) {
	eachBuild(t, func(t *testing.T, b *build) {
		mod := load(t, mfa.Contract.Action, b.faulty)
		ok := eventWithEmail("someone@example.com")
		require.Nil(t, mod.Run(context.Background(), ok).Failure)
		require.Equal(t, ReasonGuestTrap, mod.Run(context.Background(), eventWithEmail(fm.EmailExit)).Failure.Reason)
		out := mod.Run(context.Background(), ok)
		require.Nil(t, out.Failure)
		assert.Equal(t, mfa.ReasonNotRequired, out.Reason)
		assert.Equal(t, 2, mod.Instantiations(), "instances: one, and one after the trap")
	})
}

// TestFallbacksPerAction: the faulty guest under every other contract, whose
// fields it does not expect (it serves mfa_action's), answers bad-request,
// and each action falls back its way.
func TestFallbacksPerAction(t *testing.T) {
	eachBuild(t, func(t *testing.T, b *build) {
		for _, a := range actions.All {
			if len(a.Contract.Reads) == len(mfa.Contract.Reads) {
				continue // the faulty guest serves it: TestFaultsFallBack
			}
			t.Run(a.Contract.Action, func(t *testing.T) {
				out := load(t, a.Contract.Action, b.faulty).Run(context.Background(), map[string]any{})
				require.NotNil(t, out.Failure)
				assert.Equal(t, ReasonGuestError, out.Failure.Reason)
				assert.Contains(t, out.Failure.Detail, "bad-request")
				assert.Equal(t, a.Contract.Fallback, out.Calls)
			})
		}
	})
}

// TestResponseOutsideMemory: a decide that points past the end of guest
// memory is a bad response, never an out-of-bounds read, and every action
// falls back its way.
func TestResponseOutsideMemory(t *testing.T) {
	eachBuild(t, func(t *testing.T, b *build) {
		for _, a := range actions.All {
			t.Run(a.Contract.Action, func(t *testing.T) {
				out := load(t, a.Contract.Action, b.badPointer).Run(context.Background(), eventWithEmail("someone@example.com"))
				require.NotNil(t, out.Failure)
				assert.Equal(t, ReasonBadResponse, out.Failure.Reason)
				assert.Equal(t, "response out of memory range", out.Failure.Detail)
				assert.Equal(t, a.Contract.Fallback, out.Calls)
			})
		}
	})
}
