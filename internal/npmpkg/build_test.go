package npmpkg

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/internal/bundle"
)

// fakeBuild writes a build folder holding a manifest with one package in
// npm/ and one action depending on it; edit changes the manifest first.
func fakeBuild(t *testing.T, edit func(*bundle.Manifest)) string {
	t.Helper()
	dir := t.TempDir()
	writePackage(t, filepath.Join(dir, "npm"), testName, testVersion, map[string]string{"act.wasm": "module"})
	sum := sha256.Sum256([]byte("module"))
	m := bundle.Manifest{
		Actions: []bundle.ManifestAction{{
			Name: "act", WasmSHA256: hex.EncodeToString(sum[:]),
			Dependencies: []bundle.Dependency{{Name: testName, Version: testVersion}},
		}},
		Packages: []bundle.Package{{Name: testName, Version: testVersion, Dir: "npm"}},
	}
	if edit != nil {
		edit(&m)
	}
	data, err := json.Marshal(m)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, bundle.ManifestFile), data, 0o644))
	return dir
}

// TestTargetsOfACurrentBuild: the manifest's package, in its folder.
func TestTargetsOfACurrentBuild(t *testing.T) {
	dir := fakeBuild(t, nil)
	got, err := Targets(dir)
	require.NoError(t, err)
	assert.Equal(t, []Target{{Name: testName, Version: testVersion, Dir: filepath.Join(dir, "npm")}}, got)
}

// TestTargetsOfAStaleBuild: every way the folder can disagree with the
// manifest says to run make wasm, and what disagrees.
func TestTargetsOfAStaleBuild(t *testing.T) {
	const rebuild = "run make wasm"
	for _, tc := range []struct {
		name string
		edit func(*bundle.Manifest)
		want string
		fix  string // what the error says to do; rebuild unless set
	}{
		{"no packages", func(m *bundle.Manifest) { m.Packages = nil }, "lists no npm package, so there is nothing to publish", "make publish COMPILER=go"},
		{"other version", func(m *bundle.Manifest) { m.Packages[0].Version = "0.2.0" }, "the manifest " + testName + "@0.2.0", ""},
		{"other name", func(m *bundle.Manifest) { m.Packages[0].Name = "other" }, "the manifest other@", ""},
		{"folder outside", func(m *bundle.Manifest) { m.Packages[0].Dir = "../npm" }, "a folder inside the build", ""},
		{"dependency version", func(m *bundle.Manifest) { m.Actions[0].Dependencies[0].Version = "0.0.1" },
			"act depends on " + testName + "@0.0.1", ""},
		{"module digest", func(m *bundle.Manifest) { m.Actions[0].WasmSHA256 = "00" }, "the manifest 00", ""},
		{"module missing", func(m *bundle.Manifest) { m.Actions[0].Name = "gone" }, "gone.wasm", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Targets(fakeBuild(t, tc.edit))
			assert.ErrorContains(t, err, tc.want)
			assert.ErrorContains(t, err, cmp.Or(tc.fix, rebuild))
		})
	}
}

// TestTargetsWithoutABuild: no manifest says to run make wasm.
func TestTargetsWithoutABuild(t *testing.T) {
	_, err := Targets(t.TempDir())
	assert.ErrorContains(t, err, "run make wasm")
}
