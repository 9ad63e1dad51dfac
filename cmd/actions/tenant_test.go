package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/internal/bundle"
	"github.com/floatme/auth0-wasm-actions/internal/cases"
	"github.com/floatme/auth0-wasm-actions/internal/deploycheck"
	"github.com/floatme/auth0-wasm-actions/internal/mgmtstub"
	"github.com/floatme/auth0-wasm-actions/internal/tenant"
	"github.com/floatme/auth0-wasm-actions/internal/tenant/tenanttest"
)

// deployedTenant starts a stand-in with opts and the build deployed, points
// the commands at it (environment and HTTP client) and returns it with the
// action ids.
func deployedTenant(t *testing.T, opts mgmtstub.Options) (*mgmtstub.Server, map[string]string) {
	t.Helper()
	dir, m := tenanttest.BuildDir(t)
	s := tenanttest.Start(t, opts)
	ids := tenanttest.Deploy(t, s, dir, m, tenanttest.Secrets(t))
	useTenant(t, s)
	return s, ids
}

// useTenant points the commands at s with its token.
func useTenant(t *testing.T, s *mgmtstub.Server) {
	t.Helper()
	saved := tenantHTTPClient
	tenantHTTPClient = s.Client
	t.Cleanup(func() { tenantHTTPClient = saved })
	t.Setenv(tenant.EnvDomain, s.Domain())
	t.Setenv(tenant.EnvAPIToken, s.Token())
	t.Setenv(tenant.EnvClientID, "")
	t.Setenv(tenant.EnvClientSecret, "")
}

func buildDir() string { return filepath.Join(cases.RepoRoot(), "build") }

func deployDir() string { return filepath.Join(cases.RepoRoot(), "deploy") }

// verifyArgs are verify's arguments on the repository's build and deploy
// files, then more.
func verifyArgs(more ...string) []string {
	return append([]string{"verify", "-dir", buildDir(), "-deploy", deployDir()}, more...)
}

func TestVerifyCommand(t *testing.T) {
	s, ids := deployedTenant(t, mgmtstub.Options{})
	t.Run("matches", func(t *testing.T) {
		out, err := runCmd(t, verifyArgs()...)
		require.NoError(t, err, "output:\n%s", out)
		_, m := tenanttest.BuildDir(t)
		triggers, _ := tenant.Triggers(m)
		want := fmt.Sprintf(`^(secrets  \S+: set on the tenant .*; values cannot be read, so they are not compared\n)+tenant 127\.0\.0\.1:\d+ matches .*build/manifest\.json and .*deploy: %d actions deployed with the built code, bound in order on %s\n$`,
			len(m.Actions), strings.Join(triggers, ", "))
		assert.Regexp(t, want, out)
	})
	t.Run("client credentials", func(t *testing.T) {
		t.Setenv(tenant.EnvAPIToken, "")
		t.Setenv(tenant.EnvClientID, s.ClientID())
		t.Setenv(tenant.EnvClientSecret, s.ClientSecret())
		out, err := runCmd(t, verifyArgs()...)
		require.NoError(t, err, "output:\n%s", out)
		assert.Contains(t, out, "matches")
	})
	t.Run("drift", func(t *testing.T) {
		_, m := tenanttest.BuildDir(t)
		tenanttest.Bind(t, tenanttest.Client(t, s), m, ids, map[string][]string{"post-login": {"add_ip_to_metadata", "mfa_action"}})
		out, err := runCmd(t, verifyArgs()...)
		require.Error(t, err)
		assert.Contains(t, out, "drift    trigger post-login: order: tenant has add_ip_to_metadata then mfa_action, deploy/ wants mfa_action then add_ip_to_metadata\n")
		assert.Contains(t, err.Error(), "differs from")
		assert.Contains(t, err.Error(), "(1 drifts above): run terraform -chdir=deploy apply (after make wasm), then verify again")
	})
}

func TestSmokeCommand(t *testing.T) {
	secrets := filepath.Join(t.TempDir(), "secrets.json")
	data, err := json.Marshal(tenanttest.Secrets(t))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(secrets, data, 0o600))
	casesDir := filepath.Join(cases.RepoRoot(), "testdata")
	args := []string{"smoke", "-dir", buildDir(), "-cases", casesDir, "-secrets", secrets, "-action", "enable_mfa"}
	all, err := cases.Load("enable_mfa")
	require.NoError(t, err)
	const skipped = 3 // the cases whose event.user is not an object
	run := len(all) - skipped
	t.Run("passes where the answers show the log line", func(t *testing.T) {
		deployedTenant(t, mgmtstub.Options{TestLogs: true})
		out, err := runCmd(t, args...)
		require.NoError(t, err, "output:\n%s", out)
		assert.Contains(t, out, "PASS  enable_mfa: typical sign-up sets both flags (testdata/enable_mfa/flags.json)\n")
		assert.Contains(t, out, fmt.Sprintf("\nsmoke: %d passed, 0 failed, 0 unverified, %d skipped, 0 errors\n", run, skipped))
	})
	t.Run("unverified where the answers are as recorded", func(t *testing.T) {
		deployedTenant(t, mgmtstub.Options{})
		out, err := runCmd(t, args...)
		require.NoError(t, err, "output:\n%s", out)
		assert.Contains(t, out, "UNVERIFIED  enable_mfa: typical sign-up sets both flags (testdata/enable_mfa/flags.json): the action ran without throwing, but the answer holds no console output with its log line (payload keys: stats)\n")
		assert.Contains(t, out, fmt.Sprintf("\nsmoke: 0 passed, 0 failed, %d unverified, %d skipped, 0 errors\n", run, skipped))
		assert.Contains(t, out, fmt.Sprintf("smoke: %d cases UNVERIFIED: they ran in Auth0 without throwing", run))
		_, err = runCmd(t, append(args, "-strict")...)
		require.Error(t, err)
		assert.Contains(t, err.Error(), fmt.Sprintf("proved too little (-strict): %d cases ran without throwing", run))
	})
}

// TestTenantCommandErrors: bad input and tenant faults, each a clear error
// that says what to do, in bounded time.
func TestTenantCommandErrors(t *testing.T) {
	s, _ := deployedTenant(t, mgmtstub.Options{})
	badManifest := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(badManifest, "manifest.json"),
		[]byte(`{"actions":[{"name":"not_an_action","trigger":{"id":"post-login","version":"v3"},"sha256":"00","runtime":"node18"}]}`), 0o644))
	for name, tt := range map[string]struct {
		setup func(t *testing.T)
		args  []string
		want  string
	}{
		"no manifest":                    {args: []string{"verify", "-dir", t.TempDir()}, want: "(run make wasm)"},
		"deploy files that do not check": {args: verifyArgs("-deploy", t.TempDir()), want: "do not check against"},
		"no manifest for smoke":          {args: []string{"smoke", "-dir", t.TempDir()}, want: "(run make wasm)"},
		"unknown action in the manifest": {args: []string{"verify", "-dir", badManifest}, want: `"not_an_action", which this repository does not build (run make wasm)`},
		"no credentials": {
			setup: func(t *testing.T) { t.Setenv(tenant.EnvDomain, ""); t.Setenv(tenant.EnvAPIToken, "") },
			args:  verifyArgs(),
			want:  "tenant credentials: set AUTH0_DOMAIN and AUTH0_API_TOKEN (or AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET) in the environment",
		},
		"client id without secret": {
			setup: func(t *testing.T) { t.Setenv(tenant.EnvAPIToken, ""); t.Setenv(tenant.EnvClientID, "x") },
			args:  []string{"smoke", "-dir", buildDir()},
			want:  "set AUTH0_CLIENT_SECRET in the environment",
		},
		"wrong token": {
			setup: func(t *testing.T) { t.Setenv(tenant.EnvAPIToken, "wrong") },
			args:  verifyArgs(),
			want:  "refused the credentials while listing actions: 401 Unauthorized: Invalid token (check AUTH0_API_TOKEN, or AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET)",
		},
		"rate limited": {
			setup: func(t *testing.T) { s.FailNext(tenant.Retries+1, http.StatusTooManyRequests, "", "") },
			args:  verifyArgs(),
			want:  "is rate limiting (429) listing actions, still after 2 retries: 429 Too Many Requests: Global limit has been reached (wait a minute and run again)",
		},
		"server error": {
			setup: func(t *testing.T) { s.FailNext(1, http.StatusInternalServerError, "GET", "/api/v2/actions/triggers") },
			args:  verifyArgs(),
			want:  "failed (500, Auth0's side) listing the post-login bindings",
		},
		"server error in smoke": {
			setup: func(t *testing.T) { s.FailNext(1, http.StatusInternalServerError, "POST", "/api/v2/actions/actions/") },
			args:  []string{"smoke", "-dir", buildDir(), "-cases", filepath.Join(cases.RepoRoot(), "testdata"), "-action", "enable_mfa"},
			want:  "failed: 0 cases failed, 1 got no answer, 0 actions untested",
		},
		"smoke without create:actions": {
			setup: func(t *testing.T) { t.Setenv(tenant.EnvAPIToken, s.TokenWith(mgmtstub.ScopeRead)) },
			args:  []string{"smoke", "-dir", buildDir(), "-cases", filepath.Join(cases.RepoRoot(), "testdata"), "-action", "enable_mfa"},
			want:  "forbade testing action ",
		},
		"verify without read:actions": {
			setup: func(t *testing.T) { t.Setenv(tenant.EnvAPIToken, s.TokenWith(mgmtstub.ScopeCreate)) },
			args:  verifyArgs(),
			want:  "forbade listing actions: 403 Forbidden: Insufficient scope, expected any of: read:actions (the token or client needs the read:actions scope)",
		},
	} {
		t.Run(name, func(t *testing.T) {
			if tt.setup != nil {
				tt.setup(t)
			}
			start := time.Now()
			_, err := runCmd(t, tt.args...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.Less(t, time.Since(start), 20*time.Second, "took too long")
		})
	}
}

// TestTenantUnreachable: a tenant that refuses connections fails after
// go-auth0's bounded retries, naming the tenant and what to check.
func TestTenantUnreachable(t *testing.T) {
	s, err := mgmtstub.Start(mgmtstub.Options{})
	require.NoError(t, err)
	useTenant(t, s)
	require.NoError(t, s.Close())
	start := time.Now()
	_, err = runCmd(t, verifyArgs()...)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "cannot reach tenant "+s.Domain()+" listing actions")
	assert.Contains(t, err.Error(), "connection refused")
	assert.Contains(t, err.Error(), "(check AUTH0_DOMAIN and the network)")
	assert.Less(t, time.Since(start), 20*time.Second, "took too long")
}

// TestVerifyCommandOtherAction: an action the build does not make, bound
// after the first of the build's, fails verify naming it, its trigger and
// its position; declared there in a copy of deploy/, it passes.
func TestVerifyCommandOtherAction(t *testing.T) {
	s, ids := deployedTenant(t, mgmtstub.Options{})
	_, m := tenanttest.BuildDir(t)
	first := m.Actions[0]
	api := tenanttest.Client(t, s)
	other := bundle.ManifestAction{Name: "audit_login", Trigger: first.Trigger, Runtime: first.Runtime}
	ids[other.Name] = tenanttest.CreateAndDeploy(t, api, other, "exports.onExecute = async () => {};", nil)
	_, names := tenant.Triggers(m)
	order := slices.Insert(slices.Clone(names[first.Trigger.ID]), 1, other.Name)
	tenanttest.Bind(t, api, m, ids, map[string][]string{first.Trigger.ID: order})

	out, err := runCmd(t, verifyArgs()...)
	require.Error(t, err, "output:\n%s", out)
	assert.Contains(t, out, fmt.Sprintf("drift    trigger %s: position 2: tenant has %q (id %s) bound, an action neither build/manifest.json nor deploy/ names", first.Trigger.ID, other.Name, ids[other.Name]))
	assert.Contains(t, err.Error(), "(1 drifts above)")

	declared := t.TempDir()
	files, err := filepath.Glob(filepath.Join(deployDir(), "*.tf"))
	require.NoError(t, err)
	for _, path := range files {
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		f := filepath.Base(path)
		if f == "auth0_actions.tf" {
			label := deploycheck.ResourceName(first.Name)
			ours := "    display_name = auth0_action." + label + ".name\n  }\n"
			require.Equal(t, 1, strings.Count(string(data), ours), "one binding of %s in %s", first.Name, f)
			data = []byte(strings.Replace(string(data), ours, ours+fmt.Sprintf("  actions {\n    id           = %q\n    display_name = %q\n  }\n", ids[other.Name], other.Name), 1))
		}
		require.NoError(t, os.WriteFile(filepath.Join(declared, f), data, 0o644))
	}
	out, err = runCmd(t, "verify", "-dir", buildDir(), "-deploy", declared)
	require.NoError(t, err, "output:\n%s", out)
	assert.Contains(t, out, " matches ")
}
