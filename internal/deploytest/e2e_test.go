package deploytest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/auth0/go-auth0/management"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/internal/bundle"
	"github.com/floatme/auth0-wasm-actions/internal/cases"
	"github.com/floatme/auth0-wasm-actions/internal/compiler"
	"github.com/floatme/auth0-wasm-actions/internal/deploycheck"
	"github.com/floatme/auth0-wasm-actions/internal/mgmtstub"
	"github.com/floatme/auth0-wasm-actions/internal/verdaccio"
)

// secrets are the values the deploy gives the actions' secrets (TF_VAR_
// variables); FORCE_MFA_EMAIL_DOMAIN is left unset.
var secrets = map[string]string{
	"test_tenant_id":                testTenant,
	"integration_test_email_domain": "integration.floatme.io",
}

// wantSecrets are mfa_action's secrets as the tenant must hold them: the
// unset FORCE_MFA_EMAIL_DOMAIN is not sent at all.
var wantSecrets = map[string]string{
	"TEST_TENANT_ID":                testTenant,
	"INTEGRATION_TEST_EMAIL_DOMAIN": "integration.floatme.io",
}

// triggers are the triggers the deploy binds actions to.
var triggers = []string{"post-login", "pre-user-registration"}

// buildTime is how long a build takes on the rehearsal's stand-in, on top
// of installing its dependencies from the local registry.
const buildTime = time.Second

// TestDeploy applies deploy/ with the real Terraform and auth0 provider to
// the stand-in, once for each way a build delivers its modules:
//
//   - embedded: build/ as make wasm built it (TinyGo, what ships), each
//     bundle self-contained;
//   - npm-package: the standard Go toolchain's bundles, built here, whose
//     packages the stand-in's builds install with npm from a local
//     verdaccio. Before they are published the apply fails with the
//     provider's message for each action and binds nothing; after actions
//     publish it succeeds.
//
// Each then checks what the tenant holds, runs user journeys through the
// code as deployed (with the packages its builds installed), plans again
// (no changes), plans and applies a rebuild where one action's logic
// changed (one update), removes an action (a plain apply meets Auth0's 409;
// the bindings first, then the rest, works), and destroys.
func TestDeploy(t *testing.T) {
	tl := findTools(t)
	t.Run(bundle.DeliveryEmbedded, func(t *testing.T) {
		work := t.TempDir()
		build := copyShippedBuild(t, tl, work)
		m, err := bundle.ReadManifest(build)
		require.NoError(t, err)
		require.Equal(t, bundle.DeliveryEmbedded, m.Actions[0].Delivery, "build/ as make wasm builds it")
		stub := startStub(t, tl, nil)
		deployFlow(t, tl, work, stub, build, m, nil)
	})
	t.Run(bundle.DeliveryPackage, func(t *testing.T) {
		work := t.TempDir()
		build := filepath.Join(work, "build")
		c, err := compiler.Named(compiler.Go, "")
		require.NoError(t, err)
		m, err := bundle.BuildAll(context.Background(), build, bundle.Options{Compiler: c})
		require.NoError(t, err, "building the npm-package bundles")
		require.Equal(t, bundle.DeliveryPackage, m.Actions[0].Delivery)
		reg := verdaccio.Start(t, tl.hostNode, tl.verdaccio, filepath.Join(work, "registry"))
		env := verdaccio.NPMEnv(t, work, reg, packageNames(m))
		stub := startStub(t, tl, mgmtstub.NPM{Bin: tl.npm, Registry: reg.URL, Env: env})
		publish := publisher(t, tl, work, env)
		deployFlow(t, tl, work, stub, build, m, func(tf *terraform, dir string) {
			if dir == build {
				assertUnpublishedFails(t, tf, stub, m, reg.URL)
			}
			publish(dir)
		})
	})
}

// copyShippedBuild copies build/ (what make wasm built: no fault bundles,
// no build/go) into work/build and returns that folder.
func copyShippedBuild(t *testing.T, tl tools, work string) string {
	build := filepath.Join(work, "build")
	copyFiles(t, filepath.Join(tl.root, cases.ShippedBuild), build, func(p string) bool {
		return !strings.HasPrefix(p, "faults") && !strings.HasPrefix(p, "go"+string(filepath.Separator))
	})
	return build
}

// initDeploy copies deploy/ into work/deploy and runs terraform init there,
// against stub, with vars as TF_VAR_ variables.
func initDeploy(t *testing.T, tl tools, work string, stub *mgmtstub.Server, vars map[string]string) *terraform {
	copyFiles(t, filepath.Join(tl.root, "deploy"), filepath.Join(work, "deploy"), func(p string) bool { return strings.HasSuffix(p, ".tf") })
	home := filepath.Join(work, "home")
	require.NoError(t, os.Mkdir(home, 0o755))
	tf := newTerraform(t, tl, filepath.Join(work, "deploy"), home, stub, vars)
	tf.must("init", "-input=false", "-no-color")
	return tf
}

// startStub starts the stand-in, running drafts with tl's Node 18 and its
// builds installing dependencies with installer (nil: a build with
// dependencies fails).
func startStub(t *testing.T, tl tools, installer mgmtstub.Installer) *mgmtstub.Server {
	stub, err := mgmtstub.Start(mgmtstub.Options{Token: "deploy-test-token", Node: tl.node, BuildTime: buildTime, Installer: installer})
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, stub.Close()) })
	return stub
}

// deployFlow applies deploy/ (copied into work) for the build in build,
// whose manifest is m, and goes through every step TestDeploy names.
// beforeApply, when set, runs before the apply of a build folder (build,
// then the rebuild's): publishing its packages.
func deployFlow(t *testing.T, tl tools, work string, stub *mgmtstub.Server, build string, m bundle.Manifest, beforeApply func(tf *terraform, dir string)) {
	tf := initDeploy(t, tl, work, stub, secrets)
	t.Run("terraform fmt leaves the files as they are", func(t *testing.T) {
		out, code := tf.run("fmt", "-check", "-diff", "-no-color")
		assert.Equal(t, 0, code, "terraform fmt -check:\n%s", out)
	})
	if beforeApply != nil {
		beforeApply(tf, build)
	}
	tf.must("apply", "-auto-approve", "-input=false", "-no-color", "-var", "build_dir="+build)
	require.True(t, t.Run("the tenant holds the build", func(t *testing.T) { assertTenantHolds(t, stub, build, m) }))
	t.Run("user journeys through the deployed code", func(t *testing.T) { runJourneys(t, tl, stub, work) })
	t.Run("a plan after apply has no changes", func(t *testing.T) {
		out, code := tf.run("plan", "-detailed-exitcode", "-input=false", "-no-color", "-var", "build_dir="+build)
		assert.Equal(t, 0, code, "plan exit code (0: no changes, 2: changes):\n%s", out)
	})
	rebuilt := filepath.Join(work, "rebuilt")
	t.Run("a rebuild after one action's logic changed", func(t *testing.T) {
		rebuiltManifest, changed := rebuildWithChange(t, tl.root, m, rebuilt)
		t.Run("passes the static checks", func(t *testing.T) {
			diags := deploycheck.Check(filepath.Join(work, "deploy"), deploycheck.Options{BuildDir: rebuilt})
			assert.Empty(t, deploycheck.Format(diags))
		})
		t.Run("changes only that action's bundle and dependencies", func(t *testing.T) {
			assert.Equal(t, []string{"mfa_action"}, changed, "actions whose manifest entry changed")
		})
		if beforeApply != nil {
			beforeApply(tf, rebuilt)
		}
		t.Run("plans exactly the update of the changed actions", func(t *testing.T) {
			assertUpdates(t, tf, stub, rebuilt, rebuiltManifest, changed)
		})
	})
	t.Run("removing an action and its binding", func(t *testing.T) {
		assertRemoval(t, tf, stub, rebuilt, "add_ip_to_metadata", "post-login")
	})
	t.Run("destroy empties the tenant", func(t *testing.T) {
		tf.must("destroy", "-auto-approve", "-input=false", "-no-color", "-var", "build_dir="+rebuilt)
		assert.Empty(t, names(stub.Actions()), "actions left")
		for _, trigger := range triggers {
			assert.Empty(t, stub.Bindings(trigger), "bindings left on %s", trigger)
		}
	})
}

// assertUnpublishedFails: an apply of npm-package bundles whose packages
// the registry at url lacks fails with the provider's message for each
// action, deploys none and binds nothing.
func assertUnpublishedFails(t *testing.T, tf *terraform, stub *mgmtstub.Server, m bundle.Manifest, url string) {
	require.True(t, t.Run("unpublished packages fail the apply, binding nothing", func(t *testing.T) {
		out, code := tf.run("apply", "-auto-approve", "-input=false", "-no-color")
		require.NotEqual(t, 0, code, "apply before the packages are published:\n%s", out)
		for _, a := range m.Actions {
			assert.Contains(t, out, fmt.Sprintf("action %q failed to build, check the Auth0 UI for errors", a.Name))
			assert.Contains(t, stub.BuildFailure(a.Name), "npm install from "+url, "why %s's build failed", a.Name)
			_, deployed := stub.Deployed(a.Name)
			assert.False(t, deployed, "%s deployed though its build failed", a.Name)
		}
		for _, trigger := range triggers {
			assert.Empty(t, stub.Bindings(trigger), "bindings on %s after the failed apply", trigger)
		}
	}))
}

// packageNames returns the names of m's npm packages.
func packageNames(m bundle.Manifest) []string {
	var out []string
	for _, p := range m.Packages {
		out = append(out, p.Name)
	}
	return out
}

// publisher builds the actions command and returns a function publishing a
// build folder's packages with it (as make publish does) to the registry
// env configures.
func publisher(t *testing.T, tl tools, work string, env []string) func(dir string) {
	bin := filepath.Join(work, "actions")
	build := exec.Command(tl.goCmd, "build", "-o", bin, "./cmd/actions")
	build.Dir = tl.root
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build ./cmd/actions: %s", out)
	return func(dir string) {
		t.Helper()
		cmd := exec.Command(bin, "publish", "-dir", dir, "-npm", tl.npm)
		cmd.Dir, cmd.Env = work, env // in work: a project .npmrc in the repository would name another registry
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "actions publish -dir %s:\n%s", dir, out)
		t.Logf("actions publish -dir %s:\n%s", dir, out)
	}
}

// assertTenantHolds checks that the stand-in holds each built action,
// deployed with its bundle's bytes and its secrets, bound in the manifest's
// order.
func assertTenantHolds(t *testing.T, stub *mgmtstub.Server, build string, m bundle.Manifest) {
	var want []string
	for _, a := range m.Actions {
		want = append(want, a.Name)
	}
	got := stub.Actions()
	assert.ElementsMatch(t, want, names(got), "actions on the tenant")
	for _, a := range got {
		ma, ok := m.Action(a.GetName())
		if !ok {
			continue
		}
		d, deployed := stub.Deployed(a.GetName())
		assert.True(t, deployed, "%s is deployed", a.GetName())
		bundleBytes, err := os.ReadFile(filepath.Join(build, ma.Bundle))
		require.NoError(t, err)
		assert.True(t, d.Code == string(bundleBytes), "%s: deployed code is %s's bytes", a.GetName(), ma.Bundle)
		assert.True(t, a.AllChangesDeployed, "%s: all changes deployed", a.GetName())
		held := map[string]string{}
		if a.GetName() == "mfa_action" {
			held = wantSecrets
		}
		assert.Equal(t, held, stub.SecretValues(a.GetID()), "%s: secrets", a.GetName())
	}
	for trigger, want := range map[string][]string{
		"post-login":            {"mfa_action", "add_ip_to_metadata"},
		"pre-user-registration": {"enable_mfa"},
	} {
		var got []string
		for _, b := range stub.Bindings(trigger) {
			got = append(got, b.GetAction().GetName())
		}
		assert.Equal(t, want, got, "%s bindings, in order", trigger)
	}
}

// names returns the actions' names.
func names(actions []management.Action) []string {
	var out []string
	for _, a := range actions {
		out = append(out, a.GetName())
	}
	return out
}

// copyFiles copies the files and symbolic links (as links: the build links
// node_modules to its package) under from whose relative path keep accepts
// into to, keeping the layout.
func copyFiles(t *testing.T, from, to string, keep func(rel string) bool) {
	err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(from, path)
		if err != nil || !keep(rel) {
			return err
		}
		if err := os.MkdirAll(filepath.Join(to, filepath.Dir(rel)), 0o755); err != nil {
			return err
		}
		if d.Type()&fs.ModeSymlink != 0 {
			target, err := os.Readlink(path)
			if err != nil {
				return err
			}
			return os.Symlink(target, filepath.Join(to, rel))
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	})
	require.NoError(t, err)
}

// planChanges returns the resource changes of a saved plan that do
// something, as address → actions ("update", "create", ...), and logs the
// arguments each update changes.
func planChanges(t *testing.T, tf *terraform, plan string) map[string][]string {
	var shown struct {
		ResourceChanges []struct {
			Address string `json:"address"`
			Change  struct {
				Actions []string                   `json:"actions"`
				Before  map[string]json.RawMessage `json:"before"`
				After   map[string]json.RawMessage `json:"after"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	require.NoError(t, json.Unmarshal([]byte(tf.must("show", "-json", plan)), &shown))
	out := map[string][]string{}
	for _, rc := range shown.ResourceChanges {
		if len(rc.Change.Actions) == 1 && rc.Change.Actions[0] == "no-op" {
			continue
		}
		out[rc.Address] = rc.Change.Actions
		var changed []string
		for name, after := range rc.Change.After {
			if string(rc.Change.Before[name]) != string(after) {
				changed = append(changed, name)
			}
		}
		slices.Sort(changed)
		t.Logf("%s %v changes %v", rc.Address, rc.Change.Actions, changed)
	}
	return out
}
