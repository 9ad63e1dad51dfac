package deploytest_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/internal/bundle"
	"github.com/floatme/auth0-wasm-actions/internal/deploycheck"
	"github.com/floatme/auth0-wasm-actions/internal/mgmtstub"
)

// logicChange is the one-line change of mfa_action's logic the rebuild
// makes: another default force-MFA domain.
var logicChange = struct{ file, old, new string }{
	file: filepath.Join("actions", "mfa", "mfa.go"),
	old:  `const DefaultForceMFADomain = "forcemfa.floatme.io"`,
	new:  `const DefaultForceMFADomain = "forcemfa.floatme.example"`,
}

// rebuildWithChange builds every action into dir as make wasm built m (the
// same compiler), from a copy of the module's source with mfa_action's
// source changed (the checkout is left alone). It returns the rebuild's
// manifest and the actions whose bundle or dependencies differ from m's.
func rebuildWithChange(t *testing.T, root string, m bundle.Manifest, dir string) (bundle.Manifest, []string) {
	source := t.TempDir()
	for _, d := range []string{"actions", "internal", "shim"} {
		copyFiles(t, filepath.Join(root, d), filepath.Join(source, d), func(string) bool { return true })
	}
	for _, f := range []string{"go.mod", "go.sum", logicChange.file} {
		data, err := os.ReadFile(filepath.Join(root, f))
		require.NoError(t, err)
		if f == logicChange.file {
			require.Equal(t, 1, strings.Count(string(data), logicChange.old), "%s holds %q once", f, logicChange.old)
			data = []byte(strings.Replace(string(data), logicChange.old, logicChange.new, 1))
		}
		require.NoError(t, os.WriteFile(filepath.Join(source, f), data, 0o644))
	}
	c, err := m.Compiler()
	require.NoError(t, err)
	rebuilt, err := bundle.BuildAll(context.Background(), dir, bundle.Options{Compiler: c, PackagePrefix: packagePrefix(m), Source: source})
	require.NoError(t, err)
	var changed []string
	for _, a := range rebuilt.Actions {
		old, ok := m.Action(a.Name)
		if !ok || old.SHA256 != a.SHA256 || !slices.Equal(old.Dependencies, a.Dependencies) {
			changed = append(changed, a.Name)
		}
	}
	return rebuilt, changed
}

// assertUpdates plans the rebuild in dir (its manifest m): exactly the auth0_action
// resources of the changed actions are updated in place, nothing else
// changes (the bindings name actions by id, which an update keeps). It then
// applies the plan through a 429 and a 503 and checks that the tenant runs the new bundles, bound as
// before, and that a new plan has no changes.
func assertUpdates(t *testing.T, tf *terraform, stub *mgmtstub.Server, dir string, m bundle.Manifest, changed []string) {
	before := bindingIDs(stub)
	plan := filepath.Join(tf.dir, "rebuild.tfplan")
	out, code := tf.run("plan", "-detailed-exitcode", "-input=false", "-no-color", "-var", "build_dir="+dir, "-out="+plan)
	require.Equal(t, 2, code, "plan exit code (2: changes):\n%s", out)
	want := map[string][]string{}
	for _, name := range changed {
		want["auth0_action."+deploycheck.ResourceName(name)] = []string{"update"}
	}
	changes := planChanges(t, tf, plan)
	t.Logf("plan of the rebuild: %v", changes)
	assert.Equal(t, want, changes, "resource changes:\n%s", out)

	// Auth0 rate-limits and sometimes fails: the update's PATCH meets a 429
	// and its deploy a 503, which the provider retries.
	stub.FailNext(1, http.StatusTooManyRequests, http.MethodPatch, actionsPath)
	stub.FailNext(1, http.StatusServiceUnavailable, http.MethodPost, actionsPath)
	sent := len(stub.Requests())
	tf.must("apply", "-input=false", "-no-color", plan)
	assert.Equal(t, map[string]int{"PATCH": 2, "POST": 2}, writes(stub.Requests()[sent:]),
		"action writes during the apply: the update and the deploy, each refused once and retried")
	for _, a := range m.Actions {
		bundleBytes, err := os.ReadFile(filepath.Join(dir, a.Bundle))
		require.NoError(t, err)
		d, ok := stub.Deployed(a.Name)
		assert.True(t, ok && d.Code == string(bundleBytes), "%s: deployed code is the rebuilt %s", a.Name, a.Bundle)
	}
	assert.Equal(t, before, bindingIDs(stub), "bindings (trigger → action ids) after the update")
	out, code = tf.run("plan", "-detailed-exitcode", "-input=false", "-no-color", "-var", "build_dir="+dir)
	assert.Equal(t, 0, code, "plan after applying the rebuild (0: no changes):\n%s", out)
}

// packagePrefix returns the package prefix m was built with (its first
// action's package name less "-<action>"); empty for the default or when m
// embeds its modules.
func packagePrefix(m bundle.Manifest) string {
	for _, a := range m.Actions {
		for _, d := range a.Dependencies {
			if prefix, ok := strings.CutSuffix(d.Name, "-"+strings.ReplaceAll(a.Name, "_", "-")); ok {
				return prefix
			}
		}
	}
	return ""
}

// actionsPath starts the path of every request about one action.
const actionsPath = "/api/v2/actions/actions/"

// writes counts the PATCH and POST requests about one action.
func writes(requests []mgmtstub.Request) map[string]int {
	out := map[string]int{}
	for _, r := range requests {
		if strings.HasPrefix(r.Path, actionsPath) && (r.Method == http.MethodPatch || r.Method == http.MethodPost) {
			out[r.Method]++
		}
	}
	return out
}

// bindingIDs returns each trigger's bound action ids, in order.
func bindingIDs(stub *mgmtstub.Server) map[string][]string {
	out := map[string][]string{}
	for _, trigger := range triggers {
		for _, b := range stub.Bindings(trigger) {
			out[trigger] = append(out[trigger], b.GetAction().GetID())
		}
	}
	return out
}
