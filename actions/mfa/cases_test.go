package mfa_test

import (
	"testing"

	"github.com/floatme/auth0-wasm-actions/actions/mfa"
	"github.com/floatme/auth0-wasm-actions/internal/cases/casetest"
)

// TestSharedCases runs testdata/mfa_action/ through the native decision.
func TestSharedCases(t *testing.T) { casetest.Native(t, mfa.Contract, mfa.Decide) }
