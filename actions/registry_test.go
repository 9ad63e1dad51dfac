package actions_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/actions"
	"github.com/floatme/auth0-wasm-actions/internal/cases"
)

// names returns the names of actions.All, in order.
func names() []string {
	var out []string
	for _, a := range actions.All {
		out = append(out, a.Contract.Action)
	}
	return out
}

// TestCaseFoldersAreTheActions: testdata/ holds one folder of cases per
// action of actions.All and no other, so every suite that walks actions.All
// finds cases, and no folder is silently skipped.
func TestCaseFoldersAreTheActions(t *testing.T) {
	entries, err := os.ReadDir(filepath.Join(cases.RepoRoot(), "testdata"))
	require.NoError(t, err)
	var folders []string
	for _, e := range entries {
		if json, _ := filepath.Glob(filepath.Join(cases.RepoRoot(), "testdata", e.Name(), "*.json")); e.IsDir() && len(json) > 0 {
			folders = append(folders, e.Name())
		}
	}
	for _, name := range names() {
		assert.Contains(t, folders, name, "action %s has no shared cases: add testdata/%s/ (testdata/README.md)", name, name)
	}
	for _, f := range folders {
		assert.Contains(t, names(), f, "testdata/%s/ holds cases of no action: add it to actions.All, or remove the folder", f)
	}
}

// TestTwinsBelongToActions: a twin.js lies in the Go package of an action
// of actions.All (the folder above its wasm entry), where the bench and the
// twin test look for it.
func TestTwinsBelongToActions(t *testing.T) {
	twins, err := filepath.Glob(filepath.Join(cases.RepoRoot(), "actions", "*", "twin.js"))
	require.NoError(t, err)
	var packages []string
	for _, a := range actions.All {
		main, ok := strings.CutPrefix(a.Main, "github.com/floatme/auth0-wasm-actions/")
		require.True(t, ok, "%s: Main %s is outside the module", a.Contract.Action, a.Main)
		packages = append(packages, filepath.Dir(filepath.FromSlash(main)))
	}
	for _, twin := range twins {
		rel, err := filepath.Rel(cases.RepoRoot(), filepath.Dir(twin))
		require.NoError(t, err)
		assert.True(t, slices.Contains(packages, rel), "%s/twin.js is the twin of no action of actions.All (packages %v)", rel, packages)
	}
}

// TestEntriesAreNamedOnce: every action of actions.All has its own name and
// its own wasm entry.
func TestEntriesAreNamedOnce(t *testing.T) {
	seen := map[string]string{}
	for _, a := range actions.All {
		for _, key := range []string{"name " + a.Contract.Action, "entry " + a.Main} {
			prev, dup := seen[key]
			assert.False(t, dup, "%s: %s is also %s's", a.Contract.Action, key, prev)
			seen[key] = a.Contract.Action
		}
	}
}

// TestEveryActionPinsTheEmptyEvent: each action's cases hold the event {}
// with its expected answer. The Node test of a null or undefined event holds
// the bundle to its answer for {}, so that answer must be pinned here.
func TestEveryActionPinsTheEmptyEvent(t *testing.T) {
	for _, name := range names() {
		all, err := cases.Load(name)
		require.NoError(t, err, name)
		assert.True(t, slices.ContainsFunc(all, func(c cases.Case) bool { return strings.TrimSpace(string(c.Event)) == "{}" }),
			"action %s has no case with the event {}: add one to testdata/%s/ with the answer for an event without fields", name, name)
	}
}
