package tenant_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/auth0/go-auth0/management"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/internal/bundle"
	"github.com/floatme/auth0-wasm-actions/internal/cases"
	"github.com/floatme/auth0-wasm-actions/internal/mgmtstub"
	"github.com/floatme/auth0-wasm-actions/internal/tenant"
	"github.com/floatme/auth0-wasm-actions/internal/tenant/tenanttest"
)

func smoke(t *testing.T, s *mgmtstub.Server, m bundle.Manifest, secrets map[string]map[string]string, only ...string) tenant.SmokeReport {
	t.Helper()
	rep, err := tenant.Smoke(context.Background(), tenanttest.Reader(t, s), m,
		tenant.SmokeOptions{Cases: cases.Load, Secrets: secrets, Only: only, Parallel: 4, RateLimitWait: 30 * time.Second})
	require.NoError(t, err)
	return rep
}

// lines returns the results with outcome o, one per line, and the errors.
func lines(rep tenant.SmokeReport, o tenant.Outcome) string {
	var out []string
	for _, r := range rep.Results {
		if r.Outcome == o {
			out = append(out, r.String())
		}
	}
	return strings.Join(append(out, rep.Errors...), "\n")
}

// deployed starts a stand-in with opts and the build deployed.
func deployed(t *testing.T, opts mgmtstub.Options) (*mgmtstub.Server, string, bundle.Manifest, map[string]string) {
	t.Helper()
	dir, m := tenanttest.BuildDir(t)
	s := tenanttest.Start(t, opts)
	return s, dir, m, tenanttest.Deploy(t, s, dir, m, tenanttest.Secrets(t))
}

// TestSmokePasses: with console output in the answers, the real bundles
// deployed to the stand-in pass every case their secrets allow, and smoke
// only reads and tests.
func TestSmokePasses(t *testing.T) {
	s, _, m, _ := deployed(t, mgmtstub.Options{TestLogs: true})
	before := len(s.Requests())
	rep := smoke(t, s, m, tenanttest.Secrets(t))
	assert.True(t, rep.OK(), "smoke failed:\n%s", lines(rep, tenant.Failed))
	assert.True(t, rep.Proven(), "unverified cases:\n%s", lines(rep, tenant.Unverified))
	perAction := map[string]int{}
	for _, r := range rep.Results {
		switch r.Outcome {
		case tenant.Passed:
			perAction[r.Action]++
		case tenant.Skipped:
			assert.True(t, strings.Contains(r.Detail, "secrets differ from the tenant's") || strings.Contains(r.Detail, "event.user is not an object"),
				"skip reason of %s: %s", r.Case.Name, r.Detail)
		default:
			t.Errorf("%s", r)
		}
	}
	for _, a := range m.Actions {
		assert.Positive(t, perAction[a.Name], "no case of %s passed", a.Name)
	}
	for _, r := range s.Requests()[before:] {
		if r.Method != "GET" {
			assert.True(t, r.Method == "POST" && strings.HasSuffix(r.Path, "/test"), "smoke wrote to the tenant: %s %s", r.Method, r.Path)
		}
		assert.NotContains(t, r.Path, "include_totals")
	}
	t.Logf("smoke: %d passed, %d skipped", rep.Count(tenant.Passed), rep.Count(tenant.Skipped))
}

// TestSmokeAgainstTheRecordedAnswer: a tenant whose answers hold only error
// and stats, as the one recorded answer does, proves nothing about a
// decision: every case that runs is UNVERIFIED, none PASS.
func TestSmokeAgainstTheRecordedAnswer(t *testing.T) {
	s, _, m, _ := deployed(t, mgmtstub.Options{})
	rep := smoke(t, s, m, tenanttest.Secrets(t), "enable_mfa", "add_ip_to_metadata")
	assert.True(t, rep.OK(), "not OK:\n%s", lines(rep, tenant.Failed))
	assert.False(t, rep.Proven())
	assert.Zero(t, rep.Count(tenant.Passed), "passed without proof:\n%s", lines(rep, tenant.Passed))
	require.Positive(t, rep.Count(tenant.Unverified))
	for _, r := range rep.Results {
		if r.Outcome == tenant.Unverified {
			assert.Equal(t, "the action ran without throwing, but the answer holds no console output with its log line (payload keys: stats)", r.Detail)
		}
	}
}

// withCode returns m with action's bundle digest set to code's, as if the
// build had made code.
func withCode(m bundle.Manifest, action, code string) bundle.Manifest {
	m.Actions = slices.Clone(m.Actions)
	for i := range m.Actions {
		if m.Actions[i].Name == action {
			sum := sha256.Sum256([]byte(code))
			m.Actions[i].SHA256 = hex.EncodeToString(sum[:])
		}
	}
	return m
}

// TestSmokeCatchesWrongDecisions: a bundle whose log line gives another
// reason, or that throws, fails every case, saying what it got and wanted.
func TestSmokeCatchesWrongDecisions(t *testing.T) {
	s, dir, m, ids := deployed(t, mgmtstub.Options{TestLogs: true})
	api := tenanttest.Client(t, s)
	for name, tt := range map[string]struct{ handler, want string }{
		"another reason": {
			`async () => { console.log('[enable_mfa] decision=skip reason=module-load calls=0 side=shim'); }`,
			`reason: got module-load, want mfa-flags-set; decision: got skip, want set-flags; api calls: got 0, want 2 (log line "[enable_mfa] decision=skip reason=module-load calls=0")`,
		},
		"a throw":           {`async () => { throw new RangeError('tampered'); }`, "the action threw RangeError: tampered"},
		"two lines":         {`async () => { console.log('[enable_mfa] decision=set-flags reason=mfa-flags-set calls=2'); console.log('[enable_mfa] decision=set-flags reason=mfa-flags-set calls=2'); }`, "2 log lines from one execution, want one"},
		"another's line":    {`async () => { console.log('[mfa_action] decision=skip reason=first-login calls=0'); }`, "the log line names mfa_action, want enable_mfa"},
		"no line, no throw": {`async () => {}`, "the action ran without throwing, but the answer holds no console output with its log line (payload keys: logs, stats)"},
	} {
		t.Run(name, func(t *testing.T) {
			code := readBundle(t, dir, "enable_mfa.js") + "\nexports.onExecutePreUserRegistration = " + tt.handler + ";\n"
			tenanttest.Redeploy(t, api, ids["enable_mfa"], &management.Action{Code: str(code)})
			rep := smoke(t, s, withCode(m, "enable_mfa", code), tenanttest.Secrets(t), "enable_mfa")
			require.NotEmpty(t, rep.Results)
			for _, r := range rep.Results {
				if r.Outcome != tenant.Skipped {
					assert.Contains(t, r.String(), tt.want, "case %s", r.Case.Name)
				}
			}
		})
	}
}

// TestSmokeKeepsGoing: a case the tenant fails to answer is that case's
// ERROR, and a rate limit beyond go-auth0's retries is waited out.
func TestSmokeKeepsGoing(t *testing.T) {
	s, _, m, _ := deployed(t, mgmtstub.Options{TestLogs: true})
	t.Run("one 500 is one ERROR", func(t *testing.T) {
		s.FailNext(1, http.StatusInternalServerError, "POST", "/api/v2/actions/actions/")
		rep := smoke(t, s, m, tenanttest.Secrets(t), "enable_mfa")
		assert.Equal(t, 1, rep.Count(tenant.Errored), "errored:\n%s", lines(rep, tenant.Errored))
		assert.Contains(t, lines(rep, tenant.Errored), "failed (500, Auth0's side) testing action ")
		assert.Equal(t, len(rep.Results)-1-rep.Count(tenant.Skipped), rep.Count(tenant.Passed), "the other cases pass")
		assert.False(t, rep.OK())
	})
	t.Run("429s past go-auth0's retries are waited out", func(t *testing.T) {
		s.FailNext(tenant.Retries+2, http.StatusTooManyRequests, "POST", "/api/v2/actions/actions/")
		start := time.Now()
		rep := smoke(t, s, m, tenanttest.Secrets(t), "enable_mfa")
		assert.True(t, rep.OK(), "not OK:\n%s", lines(rep, tenant.Errored))
		assert.Equal(t, len(rep.Results)-rep.Count(tenant.Skipped), rep.Count(tenant.Passed))
		assert.Less(t, time.Since(start), 30*time.Second)
	})
	t.Run("a tenant rate limit", func(t *testing.T) {
		s.SetRateLimit(&mgmtstub.RateLimit{Limit: 5, Window: time.Second})
		defer s.SetRateLimit(nil)
		rep := smoke(t, s, m, tenanttest.Secrets(t), "enable_mfa")
		assert.True(t, rep.OK(), "not OK:\n%s", lines(rep, tenant.Errored))
		assert.Equal(t, len(rep.Results)-rep.Count(tenant.Skipped), rep.Count(tenant.Passed))
	})
	t.Run("a scope missing stops the run", func(t *testing.T) {
		r := tenanttest.Reader(t, s)
		limited, err := management.New(s.Domain(), management.WithStaticToken(s.TokenWith(mgmtstub.ScopeRead)), management.WithClient(s.Client()))
		require.NoError(t, err)
		r.API = limited
		_, err = tenant.Smoke(context.Background(), r, m, tenant.SmokeOptions{Cases: cases.Load, Only: []string{"enable_mfa"}})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "Insufficient scope, expected any of: create:actions (the token or client needs the create:actions scope)")
	})
}

func TestSmokeCannotTest(t *testing.T) {
	t.Run("secret values not given", func(t *testing.T) {
		s, _, m, _ := deployed(t, mgmtstub.Options{TestLogs: true})
		rep := smoke(t, s, m, nil, "mfa_action")
		assert.Zero(t, rep.Count(tenant.Passed))
		assert.Equal(t, []string{"mfa_action: no case could run: every case needs secrets the tenant's do not match (pass the tenant's secret values with -secrets)"}, rep.Errors)
		require.NotEmpty(t, rep.Results)
		assert.Contains(t, rep.Results[0].Detail, "TEST_TENANT_ID (its value on the tenant was not given)")
	})
	t.Run("draft not deployed", func(t *testing.T) {
		s, _, m, ids := deployed(t, mgmtstub.Options{TestLogs: true})
		require.NoError(t, tenanttest.Client(t, s).Action.Update(context.Background(), ids["enable_mfa"], &management.Action{Code: str("exports.onExecutePreUserRegistration = async () => {};")}))
		rep := smoke(t, s, m, tenanttest.Secrets(t), "enable_mfa")
		assert.Equal(t, []string{"enable_mfa: its draft is not its deployed version, and Auth0 tests the draft (" + tenant.Fix + ")"}, rep.Errors)
	})
	t.Run("code other than the build's", func(t *testing.T) {
		s, _, m, ids := deployed(t, mgmtstub.Options{TestLogs: true})
		tenanttest.Redeploy(t, tenanttest.Client(t, s), ids["enable_mfa"], &management.Action{Code: str("exports.onExecutePreUserRegistration = async () => {};")})
		rep := smoke(t, s, m, tenanttest.Secrets(t), "enable_mfa")
		require.Len(t, rep.Errors, 1)
		assert.Contains(t, rep.Errors[0], "enable_mfa: its code (sha256 ")
		assert.Contains(t, rep.Errors[0], ") is not the build's enable_mfa.js (sha256 ")
		assert.Empty(t, rep.Results)
	})
	t.Run("action missing or unknown", func(t *testing.T) {
		_, m := tenanttest.BuildDir(t)
		s := tenanttest.Start(t, mgmtstub.Options{})
		rep := smoke(t, s, m, tenanttest.Secrets(t), "enable_mfa", "nope")
		assert.Equal(t, []string{"enable_mfa: no action of that name on the tenant (" + tenant.Fix + ")", "nope: not in build/manifest.json"}, rep.Errors)
	})
}
