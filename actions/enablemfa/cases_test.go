package enablemfa_test

import (
	"testing"

	"github.com/floatme/auth0-wasm-actions/actions/enablemfa"
	"github.com/floatme/auth0-wasm-actions/internal/cases/casetest"
)

// TestSharedCases runs testdata/enable_mfa/ through the native decision.
func TestSharedCases(t *testing.T) { casetest.Native(t, enablemfa.Contract, enablemfa.Decide) }
