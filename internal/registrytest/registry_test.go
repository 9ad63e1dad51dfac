package registrytest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/internal/bundle"
	"github.com/floatme/auth0-wasm-actions/internal/cases"
	"github.com/floatme/auth0-wasm-actions/internal/npmpkg"
	"github.com/floatme/auth0-wasm-actions/internal/verdaccio"
)

// nodeTests is the Node 18 half of the rehearsal, relative to the root.
const nodeTests = "shim/test/registry/installed.js"

// TestRegistryRehearsal publishes the packages in build/go/npm/ (the
// standard Go toolchain's modules, the only ones delivered in npm packages)
// to a local registry with actions publish (again: nothing to do; other
// contents under the same version: refused), installs each action's dependencies into a
// clean folder as Auth0 does, and runs the Node 18 half against the bundles
// next to them and against tampered and missing copies of the packages.
func TestRegistryRehearsal(t *testing.T) {
	if os.Getenv("REGISTRY_TEST") != "1" {
		t.Skip("the registry rehearsal runs with make test-registry (REGISTRY_TEST=1)")
	}
	root := cases.RepoRoot()
	build := filepath.Join(root, cases.ReferenceBuild)
	tl := needTools(t, root)
	targets, err := npmpkg.Targets(build)
	require.NoError(t, err)
	m, err := bundle.ReadManifest(build)
	require.NoError(t, err)
	byName := map[string]npmpkg.Target{}
	for _, tg := range targets {
		byName[tg.Name] = tg
	}

	work := t.TempDir()
	step := stepper(t)
	reg := verdaccio.Start(t, tl.node, tl.verdaccio, work)
	names := make([]string, len(targets))
	for i, tg := range targets {
		names[i] = tg.Name
	}
	env := verdaccio.NPMEnv(t, work, reg, names)
	bin := filepath.Join(work, "actions")
	mustRun(t, root, nil, tl.goCmd, "build", "-o", bin, "./cmd/actions")
	registries, err := npmpkg.NPM{Bin: tl.npm, Env: env, Dir: work}.Registries(context.Background(), names)
	require.NoError(t, err)
	for _, name := range names {
		require.Equal(t, reg.URL, registries[name], "npm's registry for %s in the rehearsal's configuration", name)
	}
	step("verdaccio up on " + reg.URL + ", actions built")

	// publish runs in work: a project .npmrc in the repository would
	// outrank the rehearsal's user .npmrc and could name a real registry.
	publish := func(dir string) result {
		return runIn(work, env, bin, "publish", "-dir", dir, "-npm", tl.npm)
	}
	first := publish(build)
	require.NoError(t, first.err, "first publish\n%s", first)
	t.Logf("actions publish:\n%s", first.stdout)
	for _, tg := range targets {
		assert.Contains(t, first.stdout, tg.Spec()+" ("+tg.Dir+") -> "+reg.URL)
		assert.Contains(t, first.stdout, "published "+tg.Spec()+" with tag wasm-build")
	}
	step(fmt.Sprintf("published %d packages", len(targets)))

	again := publish(build)
	require.NoError(t, again.err, "second publish\n%s", again)
	for _, tg := range targets {
		assert.Contains(t, again.stdout, "already published, nothing to do: the registry holds "+tg.Spec())
	}
	assert.NotContains(t, again.stdout, "published "+targets[0].Spec())
	step("published again: nothing to do")

	victim := m.Actions[0]
	require.NotEmpty(t, victim.Dependencies, "%s's dependencies in build/manifest.json", victim.Name)
	vt := byName[victim.Dependencies[0].Name]
	other := publish(otherBuild(t, build, filepath.Join(work, "other-build"), m, targets, vt, victim.Name))
	require.Error(t, other.err, "publishing other contents under %s was not refused\n%s", vt.Spec(), other)
	assert.Contains(t, other.stderr, "refusing to publish "+vt.Spec())
	assert.Contains(t, other.stderr, victim.Name+".wasm (contents differ)")
	t.Logf("actions publish of other contents:\n%s", other.stderr)
	step("other contents under " + vt.Spec() + ": refused")

	installed, tampered := map[string]string{}, map[string]string{}
	for _, a := range m.Actions {
		dir := installLikeAuth0(t, tl, env, filepath.Join(work, "installed-"+a.Name), reg, a, byName)
		copyFile(t, filepath.Join(build, a.Bundle), dir)
		installed[a.Name] = dir
	}
	step("installed each action's dependencies into a clean folder")
	for _, a := range m.Actions {
		dir := filepath.Join(work, "tampered-"+a.Name)
		copyTree(t, installed[a.Name], dir)
		flipByte(t, filepath.Join(dir, "node_modules", filepath.FromSlash(a.Dependencies[0].Name), a.Name+".wasm"))
		tampered[a.Name] = dir
	}
	missing := filepath.Join(work, "missing")
	require.NoError(t, os.Mkdir(missing, 0o755))
	for _, a := range m.Actions {
		copyFile(t, filepath.Join(build, a.Bundle), missing)
	}
	spec, err := json.Marshal(map[string]any{"installed": installed, "tampered": tampered, "missing": missing})
	require.NoError(t, err)
	node := runIn(root, append(env, "REGISTRY_REHEARSAL="+string(spec), "BUILD_DIR="+cases.ReferenceBuild), tl.node18, "--test", "--test-reporter=spec", nodeTests)
	require.NoError(t, node.err, "Node 18: %s\n%s", nodeTests, node)
	t.Logf("Node 18 %s:\n%s", nodeTests, lastLines(node.stdout, 9))
	step("Node 18: the cases through the installed packages; tampered and missing copies fall back")
}

// otherBuild writes into dir a copy of build's manifest and packages with
// one byte of action's module changed in its package vt (and its digest in
// the manifest, so the build is consistent): the same names and versions,
// other contents in vt.
func otherBuild(t *testing.T, build, dir string, m bundle.Manifest, targets []npmpkg.Target, vt npmpkg.Target, action string) string {
	t.Helper()
	for _, tg := range targets {
		rel, err := filepath.Rel(build, tg.Dir)
		require.NoError(t, err)
		copyTree(t, tg.Dir, filepath.Join(dir, rel))
	}
	rel, err := filepath.Rel(build, vt.Dir)
	require.NoError(t, err)
	module := filepath.Join(dir, rel, action+".wasm")
	flipByte(t, module)
	data, err := os.ReadFile(module)
	require.NoError(t, err)
	sum := sha256.Sum256(data)
	m.Actions = append([]bundle.ManifestAction(nil), m.Actions...)
	for i := range m.Actions {
		if m.Actions[i].Name == action {
			m.Actions[i].WasmSHA256 = hex.EncodeToString(sum[:])
		}
	}
	mj, err := json.Marshal(m)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, bundle.ManifestFile), mj, 0o644))
	return dir
}

// installLikeAuth0 runs npm install with action a's dependencies in a new
// folder holding only a package.json, checks that each came from the
// registry r and holds what its folder in build/npm/ holds, and returns the
// folder.
func installLikeAuth0(t *testing.T, tl tools, env []string, dir string, r verdaccio.Registry, a bundle.ManifestAction, byName map[string]npmpkg.Target) string {
	t.Helper()
	require.NotEmpty(t, a.Dependencies, "%s's dependencies in build/manifest.json", a.Name)
	require.NoError(t, os.Mkdir(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"name": "rehearsal-action", "private": true}`+"\n"), 0o644))
	args := []string{"install"}
	for _, d := range a.Dependencies {
		args = append(args, d.Name+"@"+d.Version)
	}
	mustRun(t, dir, env, tl.npm, args...)
	var lock struct {
		Packages map[string]struct {
			Version  string `json:"version"`
			Resolved string `json:"resolved"`
		} `json:"packages"`
	}
	data, err := os.ReadFile(filepath.Join(dir, "package-lock.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &lock))
	for _, d := range a.Dependencies {
		got := lock.Packages["node_modules/"+d.Name]
		assert.Equal(t, d.Version, got.Version, "installed version of %s", d.Name)
		assert.True(t, strings.HasPrefix(got.Resolved, r.URL), "%s installed from %q, want the local registry %s", d.Name, got.Resolved, r.URL)
		tg, ok := byName[d.Name]
		require.True(t, ok, "%s depends on %s, which build/manifest.json does not list as a package", a.Name, d.Name)
		pkgDir := filepath.Join(dir, "node_modules", filepath.FromSlash(d.Name))
		fi, err := os.Lstat(pkgDir)
		require.NoError(t, err)
		require.True(t, fi.IsDir(), "%s is not a folder (%s)", pkgDir, fi.Mode())
		assert.Empty(t, npmpkg.Diff(filesOf(t, tg.Dir), filesOf(t, pkgDir)), "installed %s vs %s", d.Name, tg.Dir)
	}
	return dir
}

// stepper returns a function logging each step with its time.
func stepper(t *testing.T) func(string) {
	last := time.Now()
	return func(what string) {
		now := time.Now()
		t.Logf("%-70s %6.1fs", what, now.Sub(last).Seconds())
		last = now
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
