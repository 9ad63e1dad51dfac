package bundle_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/actions"
	"github.com/floatme/auth0-wasm-actions/internal/bundle"
	"github.com/floatme/auth0-wasm-actions/internal/cases"
	"github.com/floatme/auth0-wasm-actions/internal/testguest"
	"github.com/floatme/auth0-wasm-actions/shim"
)

var buildDir = filepath.Join(cases.RepoRoot(), "build")

func readBuilt(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(buildDir, name))
	require.NoError(t, err, "run make wasm first")
	return data
}

func TestShimImports(t *testing.T) {
	got, err := shim.Imports()
	require.NoError(t, err)
	assert.Equal(t, []string{
		"args_get", "args_sizes_get", "clock_time_get", "environ_get", "environ_sizes_get",
		"fd_write", "poll_oneoff", "proc_exit", "random_get", "sched_yield",
	}, got)
}

// TestCheckModuleListsMissingImports: a guest that reads a file imports
// what the shim does not provide, and the check names every such import.
func TestCheckModuleListsMissingImports(t *testing.T) {
	ctx := context.Background()
	wasm, err := testguest.Build(ctx, t.TempDir(), "extraimport")
	require.NoError(t, err)
	err = bundle.CheckModule(ctx, wasm)
	require.Error(t, err)
	for _, name := range []string{"path_open", "fd_read", "fd_close", "fd_prestat_get"} {
		assert.Contains(t, err.Error(), "imports wasi_snapshot_preview1."+name+", which the shim does not provide")
	}
	assert.NotContains(t, err.Error(), "fd_write", "fd_write is provided")
}

func TestCheckModuleAcceptsTheShippedModules(t *testing.T) {
	for _, a := range actions.All {
		assert.NoError(t, bundle.CheckModule(context.Background(), readBuilt(t, a.Contract.Action+".wasm")), a.Contract.Action)
	}
}

func TestCheckModuleRefusesNonModules(t *testing.T) {
	err := bundle.CheckModule(context.Background(), []byte("\x00asm\x01\x00\x00\x00"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "does not export decide")
	assert.Error(t, bundle.CheckModule(context.Background(), []byte("not wasm")))
}

// TestBuildIsReproducibleAndCurrent builds every action twice and compares
// the bytes with each other and with build/: the build is reproducible, and
// build/ holds what the source builds today.
func TestBuildIsReproducibleAndCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every module twice")
	}
	ctx := context.Background()
	first, second := t.TempDir(), t.TempDir()
	_, err := bundle.BuildAll(ctx, first, bundle.Options{})
	require.NoError(t, err)
	_, err = bundle.BuildAll(ctx, second, bundle.Options{})
	require.NoError(t, err)
	for _, a := range actions.All {
		for _, name := range []string{a.Contract.Action + ".wasm", a.Contract.Action + ".js"} {
			one, err := os.ReadFile(filepath.Join(first, name))
			require.NoError(t, err)
			two, err := os.ReadFile(filepath.Join(second, name))
			require.NoError(t, err)
			assert.True(t, bytes.Equal(one, two), "%s differs between two builds", name)
			assert.True(t, bytes.Equal(one, readBuilt(t, name)), "build/%s is stale: run make wasm", name)
		}
	}
}

// TestModulesLinkOnlyTheirOwnAction: a change to one action's package
// changes only that action's module (and so only its bundle).
func TestModulesLinkOnlyTheirOwnAction(t *testing.T) {
	for _, a := range actions.All {
		cmd := exec.Command("go", "list", "-deps", a.Main)
		cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
		out, err := cmd.Output()
		require.NoError(t, err)
		deps := strings.Fields(string(out))
		for _, other := range actions.All {
			own := strings.TrimSuffix(other.Main, "/wasm")
			assert.Equal(t, other.Main == a.Main, slices.Contains(deps, own), "%s links %s", a.Main, own)
		}
	}
}

func TestManifestDescribesTheBuild(t *testing.T) {
	m, err := bundle.ReadManifest(buildDir)
	require.NoError(t, err)
	require.Len(t, m.Actions, len(actions.All))
	assert.Equal(t, bundle.BudgetBytes, m.BudgetBytes)
	assert.Equal(t, bundle.DeliveryPackage, m.Delivery)
	require.Len(t, m.Packages, len(actions.All), "one npm package per action")
	for i, a := range actions.All {
		got := m.Actions[i]
		t.Run(a.Contract.Action, func(t *testing.T) {
			js, wasm := readBuilt(t, got.Bundle), readBuilt(t, got.Wasm)
			assert.Equal(t, a.Contract.Action, got.Name)
			assert.Equal(t, a.Contract.Action+".js", got.Bundle)
			assert.Equal(t, sha(js), got.SHA256)
			assert.Equal(t, len(js), got.Bytes)
			assert.Equal(t, sha(wasm), got.WasmSHA256)
			assert.Equal(t, len(wasm), got.WasmBytes)
			assert.Equal(t, bundle.TriggerRef{ID: a.Contract.Trigger.ID, Version: a.Contract.Trigger.Version}, got.Trigger)
			assert.Equal(t, "node18", got.Runtime)
			assert.Equal(t, a.Contract.Secrets(), got.Secrets)
			assert.LessOrEqual(t, got.Bytes, bundle.BudgetBytes)
			assert.Greater(t, got.EmbeddedBytes, got.WasmBytes/3, "embedded_bytes: the module's gzip, in base64")
			assert.True(t, strings.HasPrefix(string(js), "// "+got.Bundle+": Auth0 Action"), "bundle header")
			assert.Contains(t, string(js), "// wasm sha256 "+got.WasmSHA256+"\n")
			pkg := m.Packages[i]
			assert.Equal(t, []bundle.Dependency{{Name: pkg.Name, Version: pkg.Version}}, got.Dependencies)
			assert.Equal(t, bundle.PackageVersion(got.Wasm, wasm), pkg.Version)
			assert.Equal(t, wasm, readBuilt(t, filepath.Join(pkg.Dir, got.Wasm)), "the package's module")
			assert.Equal(t, wasm, readBuilt(t, filepath.Join(bundle.NodeModules, pkg.Name, got.Wasm)), "node_modules/%s resolves to the package", pkg.Name)
		})
	}
}

// TestEmbeddedBuild: -embed puts the modules in the bundles, writes no
// package, and reports the bundles over budget instead of failing.
func TestEmbeddedBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every module")
	}
	dir := t.TempDir()
	m, err := bundle.BuildAll(context.Background(), dir, bundle.Options{Embed: true})
	require.NoError(t, err)
	assert.Equal(t, bundle.DeliveryEmbedded, m.Delivery)
	assert.Empty(t, m.Packages)
	for _, a := range m.Actions {
		assert.Empty(t, a.Dependencies, a.Name)
		assert.Equal(t, a.EmbeddedBytes, a.Bytes, a.Name)
	}
	assert.NoDirExists(t, filepath.Join(dir, bundle.PackagesDir))
	assert.NoDirExists(t, filepath.Join(dir, bundle.NodeModules))
	var table strings.Builder
	require.NoError(t, bundle.PrintSizes(&table, m))
	assert.Contains(t, table.String(), "not deployable", "size table of an embedded build over budget:\n%s", table.String())
}

func TestPackageName(t *testing.T) {
	long := "@s/" + strings.Repeat("p", 214-len("@s/")-len("-enable-mfa"))
	tests := []struct {
		prefix, action, want string
		ok                   bool
	}{
		{"@floatme/auth0-wasm", "mfa_action", "@floatme/auth0-wasm-mfa-action", true},
		{"auth0-wasm", "add_ip_to_metadata", "auth0-wasm-add-ip-to-metadata", true},
		{long, "enable_mfa", long + "-enable-mfa", true}, // 214 bytes: npm's limit
		{long + "p", "enable_mfa", "", false},            // 215 bytes
		{"@Floatme/wasm", "mfa_action", "", false},       // upper case
		{"@floatme/", "mfa_action", "", false},           // name starts with '-'
		{"floatme/wasm", "mfa_action", "", false},        // a slash without a scope
		{"@floatme/wasm x", "mfa_action", "", false},     // space
	}
	for _, tt := range tests {
		t.Run(tt.prefix, func(t *testing.T) {
			got, err := bundle.PackageName(tt.prefix, tt.action)
			if !tt.ok {
				require.Error(t, err, "got %q, want an error", got)
				assert.Contains(t, err.Error(), "is not valid")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestPackageVersionNamesTheBytes: the version changes with any byte of the
// module or its file name, and is a valid semver prerelease.
func TestPackageVersionNamesTheBytes(t *testing.T) {
	wasm := []byte("\x00asm\x01\x00\x00\x00 module bytes")
	v := bundle.PackageVersion("a.wasm", wasm)
	assert.Regexp(t, `^0\.1\.0-sha-[0-9a-f]{16}$`, v)
	assert.Equal(t, v, bundle.PackageVersion("a.wasm", bytes.Clone(wasm)), "same bytes, same version")
	changed := bytes.Clone(wasm)
	changed[len(changed)-1] ^= 1
	assert.NotEqual(t, v, bundle.PackageVersion("a.wasm", changed), "one byte changed")
	assert.NotEqual(t, v, bundle.PackageVersion("b.wasm", wasm), "another file name")
}

func sha(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func TestTriggers(t *testing.T) {
	m, err := bundle.ReadManifest(buildDir)
	require.NoError(t, err)
	want := map[string]string{"mfa_action": "post-login/v3", "add_ip_to_metadata": "post-login/v3", "enable_mfa": "pre-user-registration/v2"}
	for _, a := range m.Actions {
		assert.Equal(t, want[a.Name], a.Trigger.ID+"/"+a.Trigger.Version, a.Name)
	}
}

func TestReadManifestSaysToRunMakeWasm(t *testing.T) {
	_, err := bundle.ReadManifest(t.TempDir())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "run make wasm")
}
