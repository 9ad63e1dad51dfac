package bundle

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCheckBudgetBoundary: a bundle of exactly the budget passes, one byte
// more fails, and the error names the bundle and the ways out.
func TestCheckBudgetBoundary(t *testing.T) {
	for _, tt := range []struct {
		bytes int
		ok    bool
	}{{BudgetBytes - 1, true}, {BudgetBytes, true}, {BudgetBytes + 1, false}} {
		a := ManifestAction{Bundle: "mfa_action.js", Bytes: tt.bytes}
		err := checkBudget(Manifest{BudgetBytes: BudgetBytes, Actions: []ManifestAction{a}})
		if tt.ok {
			assert.NoError(t, err, "%d bytes", tt.bytes)
			continue
		}
		require.Error(t, err, "%d bytes", tt.bytes)
		assert.Contains(t, err.Error(), "mfa_action.js is 102401 bytes")
		assert.Contains(t, err.Error(), "make wasm COMPILER=go")
		assert.Contains(t, err.Error(), "make the module smaller")
	}
}
