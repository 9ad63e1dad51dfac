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
	"github.com/floatme/auth0-wasm-actions/internal/compiler"
	"github.com/floatme/auth0-wasm-actions/internal/testguest"
	"github.com/floatme/auth0-wasm-actions/shim"
)

// eachBuild runs f once per build folder (build/: TinyGo, what ships;
// build/go/: the standard Go toolchain), as subtests named by the compiler
// its manifest records.
func eachBuild(t *testing.T, f func(t *testing.T, dir string, m bundle.Manifest, c compiler.Compiler)) {
	for _, dir := range cases.Builds() {
		m, err := bundle.ReadManifest(dir)
		require.NoError(t, err, "run make wasm wasm-go first")
		c, err := m.Compiler()
		require.NoError(t, err)
		t.Run(c.Name, func(t *testing.T) { f(t, dir, m, c) })
	}
}

func readBuilt(t *testing.T, dir, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, name))
	require.NoError(t, err, "run make wasm wasm-go first")
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
	eachBuild(t, func(t *testing.T, _ string, _ bundle.Manifest, c compiler.Compiler) {
		ctx := context.Background()
		wasm, err := testguest.Build(ctx, c, t.TempDir(), "extraimport")
		require.NoError(t, err)
		err = bundle.CheckModule(ctx, wasm)
		require.Error(t, err)
		for _, name := range []string{"path_open", "fd_read", "fd_close", "fd_prestat_get"} {
			assert.Contains(t, err.Error(), "imports wasi_snapshot_preview1."+name+", which the shim does not provide")
		}
		assert.NotContains(t, err.Error(), "fd_write", "fd_write is provided")
	})
}

func TestCheckModuleAcceptsTheBuiltModules(t *testing.T) {
	eachBuild(t, func(t *testing.T, dir string, _ bundle.Manifest, _ compiler.Compiler) {
		for _, a := range actions.All {
			assert.NoError(t, bundle.CheckModule(context.Background(), readBuilt(t, dir, a.Contract.Action+".wasm")), a.Contract.Action)
		}
	})
}

// TestCheckModuleRefusesAnUnlimitedMemory: a module whose memory has no
// maximum, or another than abi.MaxMemory, is refused, saying which.
func TestCheckModuleRefusesAnUnlimitedMemory(t *testing.T) {
	const header = "\x00asm\x01\x00\x00\x00"
	exportMemory := "\x07\x0a\x01\x06memory\x02\x00"
	for name, tt := range map[string]struct{ memory, want string }{
		"no maximum":       {"\x05\x03\x01\x00\x01", "memory has no maximum; want abi.MaxMemory, 134217728 bytes"},
		"256 MiB":          {"\x05\x05\x01\x01\x01\x80\x20", "memory's maximum is 268435456 bytes; want abi.MaxMemory, 134217728 bytes"},
		"one page smaller": {"\x05\x05\x01\x01\x01\xff\x0f", "memory's maximum is 134152192 bytes; want abi.MaxMemory"},
	} {
		t.Run(name, func(t *testing.T) {
			err := bundle.CheckModule(context.Background(), []byte(header+tt.memory+exportMemory))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestCheckModuleRefusesNonModules(t *testing.T) {
	err := bundle.CheckModule(context.Background(), []byte("\x00asm\x01\x00\x00\x00"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "does not export decide")
	assert.Error(t, bundle.CheckModule(context.Background(), []byte("not wasm")))
}

// TestBuildIsReproducibleAndCurrent builds every action twice with each
// build's compiler and compares the bytes with each other and with the
// build folder: the build is reproducible, and the folder holds what the
// source builds today.
func TestBuildIsReproducibleAndCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every module twice")
	}
	eachBuild(t, func(t *testing.T, dir string, m bundle.Manifest, c compiler.Compiler) {
		ctx := context.Background()
		first, second := t.TempDir(), t.TempDir()
		opts := bundle.Options{Compiler: c}
		_, err := bundle.BuildAll(ctx, first, opts)
		require.NoError(t, err)
		_, err = bundle.BuildAll(ctx, second, opts)
		require.NoError(t, err)
		for _, a := range actions.All {
			for _, name := range []string{a.Contract.Action + ".wasm", a.Contract.Action + ".js"} {
				one, err := os.ReadFile(filepath.Join(first, name))
				require.NoError(t, err)
				two, err := os.ReadFile(filepath.Join(second, name))
				require.NoError(t, err)
				assert.True(t, bytes.Equal(one, two), "%s differs between two builds", name)
				assert.True(t, bytes.Equal(one, readBuilt(t, dir, name)), "%s/%s is stale: run make wasm wasm-go", dir, name)
			}
		}
	})
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
	eachBuild(t, func(t *testing.T, dir string, m bundle.Manifest, c compiler.Compiler) {
		version, err := c.Version(context.Background())
		require.NoError(t, err)
		require.Len(t, m.Actions, len(actions.All))
		assert.Equal(t, bundle.BudgetBytes, m.BudgetBytes)
		for i, a := range actions.All {
			got := m.Actions[i]
			t.Run(a.Contract.Action, func(t *testing.T) {
				js, wasm := readBuilt(t, dir, got.Bundle), readBuilt(t, dir, got.Wasm)
				assert.Equal(t, a.Contract.Action, got.Name)
				assert.Equal(t, bundle.CompilerRef{Name: c.Name, Version: version}, got.Compiler)
				assert.Equal(t, a.Contract.Action+".js", got.Bundle)
				assert.Equal(t, sha(js), got.SHA256)
				assert.Equal(t, len(js), got.Bytes)
				assert.Equal(t, sha(wasm), got.WasmSHA256)
				assert.Equal(t, len(wasm), got.WasmBytes)
				assert.Equal(t, bundle.TriggerRef{ID: a.Contract.Trigger.ID, Version: a.Contract.Trigger.Version}, got.Trigger)
				assert.Equal(t, "node18", got.Runtime)
				assert.Equal(t, a.Contract.Secrets(), got.Secrets)
				assert.Equal(t, a.Contract.UserControlledReads(), got.UserControlledReads)
				assert.Len(t, got.Guarded, len(a.Contract.Guards()))
				for j, g := range a.Contract.Guards() {
					assert.Equal(t, g.Op, got.Guarded[j].Op, "guard %d", j)
					assert.Len(t, got.Guarded[j].Args, len(g.Args), "guard %d", j)
				}
				assert.LessOrEqual(t, got.Bytes, bundle.BudgetBytes)
				assert.Greater(t, got.EmbeddedBytes, got.WasmBytes/3, "embedded_bytes: the module in base64")
				assert.True(t, strings.HasPrefix(string(js), "// "+got.Bundle+": Auth0 Action"), "bundle header")
				assert.Contains(t, string(js), "// wasm sha256 "+got.WasmSHA256+"\n")
				if c.Embed {
					assertEmbedded(t, dir, m, got)
				} else {
					assertPackaged(t, dir, m, i, wasm)
				}
			})
		}
	})
}

// assertEmbedded: the bundle is the module's embedded bundle, and nothing
// is delivered through npm.
func assertEmbedded(t *testing.T, dir string, m bundle.Manifest, got bundle.ManifestAction) {
	assert.Equal(t, bundle.DeliveryEmbedded, got.Delivery)
	assert.Equal(t, got.EmbeddedBytes, got.Bytes)
	assert.Empty(t, got.Dependencies)
	assert.Empty(t, m.Packages)
	assert.NoDirExists(t, filepath.Join(dir, bundle.PackagesDir))
	assert.NoDirExists(t, filepath.Join(dir, bundle.NodeModules))
}

// assertPackaged: the action's module is in its own npm package, which the
// bundle depends on and node_modules/ resolves.
func assertPackaged(t *testing.T, dir string, m bundle.Manifest, i int, wasm []byte) {
	got := m.Actions[i]
	assert.Equal(t, bundle.DeliveryPackage, got.Delivery)
	require.Len(t, m.Packages, len(actions.All), "one npm package per action")
	pkg := m.Packages[i]
	assert.Equal(t, []bundle.Dependency{{Name: pkg.Name, Version: pkg.Version}}, got.Dependencies)
	assert.Equal(t, bundle.PackageVersion(got.Wasm, wasm), pkg.Version)
	assert.Equal(t, wasm, readBuilt(t, dir, filepath.Join(pkg.Dir, got.Wasm)), "the package's module")
	assert.Equal(t, wasm, readBuilt(t, dir, filepath.Join(bundle.NodeModules, pkg.Name, got.Wasm)), "node_modules/%s resolves to the package", pkg.Name)
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

// TestTriggers: the manifest lists the actions of actions.All in order,
// each with its contract's trigger and handler.
func TestTriggers(t *testing.T) {
	m, err := bundle.ReadManifest(filepath.Join(cases.RepoRoot(), cases.ShippedBuild))
	require.NoError(t, err)
	require.Len(t, m.Actions, len(actions.All), "build/manifest.json: run make wasm")
	for i, a := range actions.All {
		c, got := a.Contract, m.Actions[i]
		require.Equal(t, c.Action, got.Name, "action %d", i+1)
		assert.Equal(t, bundle.TriggerRef{ID: c.Trigger.ID, Version: c.Trigger.Version}, got.Trigger, c.Action)
		assert.Equal(t, c.Trigger.Handler, got.Handler, c.Action)
	}
}

func TestReadManifestSaysToRunMakeWasm(t *testing.T) {
	_, err := bundle.ReadManifest(t.TempDir())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "run make wasm")
}
