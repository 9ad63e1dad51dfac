package deploycheck

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/floatme/auth0-wasm-actions/actions"
)

// TestLegacyResourceNamesAreActions: every legacy resource name is an
// action's of actions.All; a stale one would name a resource no build needs.
func TestLegacyResourceNamesAreActions(t *testing.T) {
	for name := range legacyResourceNames {
		_, ok := actions.Named(name)
		assert.True(t, ok, "legacyResourceNames names %s, which actions.All lacks: remove it", name)
	}
}
