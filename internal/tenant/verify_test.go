package tenant_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/auth0/go-auth0/management"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/internal/bundle"
	"github.com/floatme/auth0-wasm-actions/internal/cases"
	"github.com/floatme/auth0-wasm-actions/internal/deploycheck"
	"github.com/floatme/auth0-wasm-actions/internal/mgmtstub"
	"github.com/floatme/auth0-wasm-actions/internal/tenant"
	"github.com/floatme/auth0-wasm-actions/internal/tenant/tenanttest"
)

func str(s string) *string { return &s }

// verify verifies s against m and the bindings of the repository's deploy/.
func verify(t *testing.T, s *mgmtstub.Server, m bundle.Manifest) tenant.Report {
	t.Helper()
	return verifyWith(t, s, m, deployBindings(t))
}

// verifyWith verifies s against m and bound.
func verifyWith(t *testing.T, s *mgmtstub.Server, m bundle.Manifest, bound map[string][]deploycheck.Bound) tenant.Report {
	t.Helper()
	rep, err := tenant.Verify(context.Background(), tenanttest.Reader(t, s), m, bound)
	require.NoError(t, err)
	return rep
}

// deployBindings returns the bindings the repository's deploy/ declares.
func deployBindings(t *testing.T) map[string][]deploycheck.Bound {
	t.Helper()
	bound, diags := deploycheck.Bindings(filepath.Join(cases.RepoRoot(), "deploy"), deploycheck.Options{})
	require.Empty(t, deploycheck.Format(diags), "deploy/ against build/ (run make wasm)")
	return bound
}

func driftLines(rep tenant.Report) []string {
	var lines []string
	for _, d := range rep.Drifts {
		lines = append(lines, d.String())
	}
	return lines
}

// TestVerifyMatches: the build deployed as Terraform would deploy it has no
// drift, and verify only reads.
func TestVerifyMatches(t *testing.T) {
	dir, m := tenanttest.BuildDir(t)
	s := tenanttest.Start(t, mgmtstub.Options{})
	ids := tenanttest.Deploy(t, s, dir, m, tenanttest.Secrets(t))
	before := len(s.Requests())
	rep := verify(t, s, m)
	assert.Empty(t, driftLines(rep), "drift on a fresh deploy")
	assert.Equal(t, len(m.Actions), rep.Actions)
	for _, r := range s.Requests()[before:] {
		assert.Equal(t, "GET", r.Method, "verify wrote to the tenant: %s %s", r.Method, r.Path)
		assert.NotContains(t, r.Path, "include_totals", "a parameter the actions endpoints refuse")
	}
	t.Run("an unset secret left out is no drift", func(t *testing.T) {
		require.Empty(t, tenanttest.Secrets(t)["mfa_action"]["FORCE_MFA_EMAIL_DOMAIN"], "the tests leave FORCE_MFA_EMAIL_DOMAIN unset")
		assert.NotContains(t, s.SecretValues(ids["mfa_action"]), "FORCE_MFA_EMAIL_DOMAIN", "secrets on the stand-in")
	})
	t.Run("secret names held and lacking, per action", func(t *testing.T) {
		var want []tenant.Secrets
		for _, a := range m.Actions {
			if len(a.Secrets) == 0 {
				continue
			}
			held := tenant.Secrets{Action: a.Name}
			for _, name := range slices.Sorted(slices.Values(a.Secrets)) {
				if tenanttest.Secrets(t)[a.Name][name] != "" {
					held.Present = append(held.Present, name)
				} else {
					held.Missing = append(held.Missing, name)
				}
			}
			want = append(want, held)
		}
		assert.Equal(t, want, rep.Secrets)
	})
	t.Run("node22 is no drift", func(t *testing.T) {
		api := tenanttest.Client(t, s)
		tenanttest.Redeploy(t, api, ids["enable_mfa"], &management.Action{Runtime: str("node22")})
		assert.Empty(t, driftLines(verify(t, s, m)), "drift with enable_mfa on node22")
	})
}

// TestVerifyCatchesDrift: each kind of drift is one readable line.
func TestVerifyCatchesDrift(t *testing.T) {
	dir, m := tenanttest.BuildDir(t)
	ctx := context.Background()
	for name, tt := range map[string]struct {
		tamper func(t *testing.T, api *management.Management, ids map[string]string)
		want   []string // substrings, one per expected drift line
	}{
		"a changed byte of code": {
			tamper: func(t *testing.T, api *management.Management, ids map[string]string) {
				code := readBundle(t, dir, "mfa_action.js")
				code = code[:100] + string(code[100]^1) + code[101:]
				tenanttest.Redeploy(t, api, ids["mfa_action"], &management.Action{Code: str(code)})
			},
			want: []string{"mfa_action: draft code: tenant has sha256 ", "mfa_action: deployed code: tenant has sha256 "},
		},
		"an undeployed change": {
			tamper: func(t *testing.T, api *management.Management, ids map[string]string) {
				require.NoError(t, api.Action.Update(ctx, ids["enable_mfa"], &management.Action{Code: str("exports.onExecutePreUserRegistration = async () => {};")}))
			},
			want: []string{"enable_mfa: draft code:", "enable_mfa: deployment: tenant has changes not deployed (all_changes_deployed false), build/manifest.json wants every change deployed"},
		},
		"a missing binding": {
			tamper: func(t *testing.T, api *management.Management, ids map[string]string) {
				tenanttest.Bind(t, api, m, ids, map[string][]string{"post-login": {"mfa_action"}})
			},
			want: []string{"trigger post-login: binding of add_ip_to_metadata: tenant has none, deploy/ wants one (position 2)"},
		},
		"a wrong binding order": {
			tamper: func(t *testing.T, api *management.Management, ids map[string]string) {
				tenanttest.Bind(t, api, m, ids, map[string][]string{"post-login": {"add_ip_to_metadata", "mfa_action"}})
			},
			want: []string{"trigger post-login: order: tenant has add_ip_to_metadata then mfa_action, deploy/ wants mfa_action then add_ip_to_metadata"},
		},
		"an extra binding of an action": {
			tamper: func(t *testing.T, api *management.Management, ids map[string]string) {
				tenanttest.Bind(t, api, m, ids, map[string][]string{"post-login": {"mfa_action", "add_ip_to_metadata", "mfa_action"}})
			},
			want: []string{"trigger post-login: binding of mfa_action: tenant has 2 bindings, deploy/ wants one"},
		},
		"a missing action": {
			tamper: func(t *testing.T, api *management.Management, ids map[string]string) {
				tenanttest.Bind(t, api, m, ids, map[string][]string{"pre-user-registration": boundWithout(m, "pre-user-registration", "enable_mfa")})
				require.NoError(t, api.Action.Delete(ctx, ids["enable_mfa"]))
			},
			want: []string{"enable_mfa: action: tenant has no action of that name", "trigger pre-user-registration: binding of enable_mfa: tenant has none"},
		},
		"a wrong runtime": {
			tamper: func(t *testing.T, api *management.Management, ids map[string]string) {
				tenanttest.Redeploy(t, api, ids["add_ip_to_metadata"], &management.Action{Runtime: str("node16")})
			},
			want: []string{`add_ip_to_metadata: runtime: tenant has "node16", build/manifest.json wants "node18"`, `add_ip_to_metadata: deployed runtime: tenant has "node16"`},
		},
		"an extra secret and an extra dependency": {
			tamper: func(t *testing.T, api *management.Management, ids map[string]string) {
				deps := []management.ActionDependency{}
				for _, p := range tenanttest.ReferencePackages(t)[:2] {
					deps = append(deps, management.ActionDependency{Name: str(p.Name), Version: str(p.Version)})
				}
				tenanttest.Redeploy(t, api, ids["mfa_action"], &management.Action{
					Secrets:      &[]management.ActionSecret{{Name: str("TEST_TENANT_ID"), Value: str("x")}, {Name: str("LEFTOVER"), Value: str("y")}},
					Dependencies: &deps,
				})
			},
			want: []string{
				`mfa_action: dependencies: tenant has "`,
				`mfa_action: secret names: tenant has "LEFTOVER, TEST_TENANT_ID", of which "LEFTOVER" not the build's, build/manifest.json wants only "FORCE_MFA_EMAIL_DOMAIN, INTEGRATION_TEST_EMAIL_DOMAIN, TEST_TENANT_ID" (an unset one is left out; lacking "FORCE_MFA_EMAIL_DOMAIN, INTEGRATION_TEST_EMAIL_DOMAIN")`,
			},
		},
		"a renamed secret": {
			tamper: func(t *testing.T, api *management.Management, ids map[string]string) {
				a := withSecrets(t, m)
				held := []management.ActionSecret{{Name: str(a.Secrets[0] + "_OLD"), Value: str("x")}}
				tenanttest.Redeploy(t, api, ids[a.Name], &management.Action{Secrets: &held})
			},
			want: []string{renamed(withSecrets(t, m))},
		},
		"an action never deployed": {
			tamper: func(t *testing.T, api *management.Management, ids map[string]string) {
				tenanttest.Bind(t, api, m, ids, map[string][]string{"pre-user-registration": boundWithout(m, "pre-user-registration", "enable_mfa")})
				require.NoError(t, api.Action.Delete(ctx, ids["enable_mfa"]))
				a, ok := m.Action("enable_mfa")
				require.True(t, ok, "the build has no enable_mfa")
				deps := []management.ActionDependency{}
				for _, d := range a.Dependencies {
					deps = append(deps, management.ActionDependency{Name: str(d.Name), Version: str(d.Version)})
				}
				require.NoError(t, api.Action.Create(ctx, &management.Action{
					Name: str(a.Name), Code: str(readBundle(t, dir, a.Bundle)), Runtime: str("node18"), Dependencies: &deps,
					SupportedTriggers: []management.ActionTrigger{{ID: str(a.Trigger.ID), Version: str(a.Trigger.Version)}},
				}))
			},
			want: []string{"enable_mfa: deployed version: tenant has none (never deployed)", "trigger pre-user-registration: binding of enable_mfa: tenant has none"},
		},
	} {
		t.Run(name, func(t *testing.T) {
			s := tenanttest.Start(t, mgmtstub.Options{})
			ids := tenanttest.Deploy(t, s, dir, m, tenanttest.Secrets(t))
			tt.tamper(t, tenanttest.Client(t, s), ids)
			got := driftLines(verify(t, s, m))
			require.Len(t, got, len(tt.want), "drift lines: got\n%s", strings.Join(got, "\n"))
			for i, w := range tt.want {
				assert.Contains(t, got[i], w, "drift line %d: got %q, want it to contain %q", i+1, got[i], w)
			}
		})
	}
}

// withSecrets returns the first action of m that reads secrets.
func withSecrets(t *testing.T, m bundle.Manifest) bundle.ManifestAction {
	t.Helper()
	i := slices.IndexFunc(m.Actions, func(a bundle.ManifestAction) bool { return len(a.Secrets) > 0 })
	require.GreaterOrEqual(t, i, 0, "no action of the build reads a secret")
	return m.Actions[i]
}

// renamed is the drift line of a's first secret renamed with _OLD, the
// tenant holding only that.
func renamed(a bundle.ManifestAction) string {
	old := a.Secrets[0] + "_OLD"
	wants := slices.Sorted(slices.Values(a.Secrets))
	return fmt.Sprintf(`%s: secret names: tenant has %q, of which %q not the build's, build/manifest.json wants only %q (an unset one is left out; lacking %q)`,
		a.Name, old, old, strings.Join(wants, ", "), strings.Join(wants, ", "))
}

func readBundle(t *testing.T, dir, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, name))
	require.NoError(t, err, "run make wasm")
	return string(data)
}

func TestLoadManifest(t *testing.T) {
	t.Run("missing says run make wasm", func(t *testing.T) {
		_, err := tenant.LoadManifest(t.TempDir())
		require.Error(t, err)
		assert.Contains(t, err.Error(), "run make wasm")
	})
	t.Run("an unknown action", func(t *testing.T) {
		dir := t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(dir, "manifest.json"),
			[]byte(`{"actions":[{"name":"not_an_action","trigger":{"id":"post-login","version":"v3"},"sha256":"00","runtime":"node18"}]}`), 0o644))
		_, err := tenant.LoadManifest(dir)
		require.Error(t, err)
		assert.Contains(t, err.Error(), `"not_an_action", which this repository does not build (run make wasm)`)
	})
	t.Run("not JSON", func(t *testing.T) {
		dir := t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(dir, "manifest.json"), []byte(`{`), 0o644))
		_, err := tenant.LoadManifest(dir)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "manifest.json")
	})
}

// boundWithout returns the actions m binds to trigger, in order, but the one
// called name.
func boundWithout(m bundle.Manifest, trigger, name string) []string {
	_, byTrigger := tenant.Triggers(m)
	return slices.DeleteFunc(slices.Clone(byTrigger[trigger]), func(n string) bool { return n == name })
}
