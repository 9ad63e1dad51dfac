package tenant_test

import (
	"context"
	"strings"
	"testing"

	"github.com/auth0/go-auth0/management"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/internal/cases"
	"github.com/floatme/auth0-wasm-actions/internal/mgmtstub"
	"github.com/floatme/auth0-wasm-actions/internal/tenant"
	"github.com/floatme/auth0-wasm-actions/internal/tenant/tenanttest"
)

func smoke(t *testing.T, s *mgmtstub.Server, secrets map[string]map[string]string, only ...string) tenant.SmokeReport {
	t.Helper()
	_, m := tenanttest.BuildDir(t)
	rep, err := tenant.Smoke(context.Background(), tenanttest.Reader(t, s), m,
		tenant.SmokeOptions{Cases: cases.Load, Secrets: secrets, Only: only, Parallel: 4})
	require.NoError(t, err)
	return rep
}

func failures(rep tenant.SmokeReport) string {
	var lines []string
	for _, r := range rep.Results {
		if r.Outcome == tenant.Failed {
			lines = append(lines, r.String())
		}
	}
	return strings.Join(append(lines, rep.Errors...), "\n")
}

// TestSmokePasses: the real bundles deployed to the stand-in pass every
// case their secrets allow, under Node 18 with build/node_modules.
func TestSmokePasses(t *testing.T) {
	dir, m := tenanttest.BuildDir(t)
	s := tenanttest.Start(t)
	tenanttest.Deploy(t, s, dir, m, tenanttest.Secrets)
	before := len(s.Requests())
	rep := smoke(t, s, tenanttest.Secrets)
	assert.True(t, rep.OK(), "smoke failed:\n%s", failures(rep))
	assert.Zero(t, rep.Count(tenant.Failed), "failed cases:\n%s", failures(rep))
	perAction := map[string]int{}
	for _, r := range rep.Results {
		if r.Outcome == tenant.Passed {
			perAction[r.Action]++
		}
		if r.Outcome == tenant.Skipped {
			assert.Contains(t, r.Detail, "secrets differ from the tenant's", "skip reason of %s", r.Case.Name)
		}
	}
	for _, a := range m.Actions {
		assert.Positive(t, perAction[a.Name], "no case of %s passed", a.Name)
	}
	for _, r := range s.Requests()[before:] {
		if r.Method != "GET" {
			assert.True(t, r.Method == "POST" && strings.HasSuffix(r.Path, "/test"), "smoke wrote to the tenant: %s %s", r.Method, r.Path)
		}
	}
	t.Logf("smoke: %d passed, %d failed, %d skipped", rep.Count(tenant.Passed), rep.Count(tenant.Failed), rep.Count(tenant.Skipped))
}

// TestSmokeCatchesTampering: a deployed action that makes other calls
// fails its cases, each line saying what it got and wanted.
func TestSmokeCatchesTampering(t *testing.T) {
	dir, m := tenanttest.BuildDir(t)
	s := tenanttest.Start(t)
	ids := tenanttest.Deploy(t, s, dir, m, tenanttest.Secrets)
	api := tenanttest.Client(t, s)
	ctx := context.Background()
	tampered := readBundle(t, dir, "enable_mfa.js") + `
exports.onExecutePreUserRegistration = async (event, api) => { console.log('[enable_mfa] decision=skip reason=mfa-flags-set calls=0 ms=0.01'); };
`
	require.NoError(t, api.Action.Update(ctx, ids["enable_mfa"], &management.Action{Code: str(tampered)}))
	_, err := api.Action.Deploy(ctx, ids["enable_mfa"])
	require.NoError(t, err)

	rep := smoke(t, s, tenanttest.Secrets, "enable_mfa")
	assert.False(t, rep.OK())
	require.NotEmpty(t, rep.Results)
	for _, r := range rep.Results {
		assert.Equal(t, tenant.Failed, r.Outcome, "case %s", r.Case.Name)
		assert.Contains(t, r.String(), `calls: got [], want [{"op":"user.setAppMetadata","args":["auth_require_mfa",true]}`)
	}
}

func TestSmokeCannotTest(t *testing.T) {
	dir, m := tenanttest.BuildDir(t)
	ctx := context.Background()
	t.Run("secret values not given", func(t *testing.T) {
		s := tenanttest.Start(t)
		tenanttest.Deploy(t, s, dir, m, tenanttest.Secrets)
		rep := smoke(t, s, nil, "mfa_action")
		assert.Zero(t, rep.Count(tenant.Passed))
		assert.Equal(t, []string{"mfa_action: no case could run: every case needs secrets the tenant's do not match (pass the tenant's secret values with -secrets)"}, rep.Errors)
		require.NotEmpty(t, rep.Results)
		assert.Contains(t, rep.Results[0].Detail, "TEST_TENANT_ID (its value on the tenant was not given)")
	})
	t.Run("draft not deployed", func(t *testing.T) {
		s := tenanttest.Start(t)
		ids := tenanttest.Deploy(t, s, dir, m, tenanttest.Secrets)
		require.NoError(t, tenanttest.Client(t, s).Action.Update(ctx, ids["enable_mfa"], &management.Action{Code: str("exports.onExecutePreUserRegistration = async () => {};")}))
		rep := smoke(t, s, tenanttest.Secrets, "enable_mfa")
		assert.Equal(t, []string{"enable_mfa: its draft is not its deployed version, and Auth0 tests the draft (" + tenant.Fix + ")"}, rep.Errors)
	})
	t.Run("action missing or unknown", func(t *testing.T) {
		s := tenanttest.Start(t)
		rep := smoke(t, s, tenanttest.Secrets, "enable_mfa", "nope")
		assert.Equal(t, []string{"enable_mfa: no action of that name on the tenant (" + tenant.Fix + ")", "nope: not in build/manifest.json"}, rep.Errors)
	})
}
