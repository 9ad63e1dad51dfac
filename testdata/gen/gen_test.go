package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/actions"
	"github.com/floatme/auth0-wasm-actions/internal/cases"
)

// TestSpecificAreActions: every action with large cases of its own is in
// actions.All, which main walks; cases of another would never be written.
func TestSpecificAreActions(t *testing.T) {
	for name := range specific {
		_, ok := actions.Named(name)
		assert.True(t, ok, "specific names %s, which actions.All lacks: add it there, or remove its cases", name)
	}
}

// TestLargeCasesAreCurrent: each action's large.json is what gen writes.
func TestLargeCasesAreCurrent(t *testing.T) {
	for _, a := range actions.All {
		t.Run(a.Contract.Action, func(t *testing.T) {
			cs, err := large(a)
			require.NoError(t, err)
			path := filepath.Join(cases.RepoRoot(), "testdata", a.Contract.Action, "large.json")
			got, err := os.ReadFile(path)
			require.NoError(t, err, "run go run ./testdata/gen from the module root")
			assert.True(t, bytes.Equal(encodeCases(cs), got), "%s is not what gen writes: run go run ./testdata/gen from the module root", path)
		})
	}
}
