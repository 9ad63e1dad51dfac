package ipmeta_test

import (
	"testing"

	"github.com/floatme/auth0-wasm-actions/actions/ipmeta"
	"github.com/floatme/auth0-wasm-actions/internal/cases/casetest"
)

// TestSharedCases runs testdata/add_ip_to_metadata/ through the native decision.
func TestSharedCases(t *testing.T) { casetest.Native(t, ipmeta.Contract, ipmeta.Decide) }
