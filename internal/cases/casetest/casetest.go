// Package casetest runs the shared cases (package cases) against a decision,
// natively or through a module, with the same assertions.
package casetest

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/internal/abi"
	"github.com/floatme/auth0-wasm-actions/internal/cases"
	"github.com/floatme/auth0-wasm-actions/internal/contract"
	"github.com/floatme/auth0-wasm-actions/internal/event"
	"github.com/floatme/auth0-wasm-actions/internal/host"
)

// Load returns c's action's cases, failing t when there are none.
func Load(t testing.TB, c contract.Contract) []cases.Case {
	t.Helper()
	cs, err := cases.Load(c.Action)
	require.NoError(t, err)
	return cs
}

// Native runs every case through decide, the pure Go decision, and checks
// that its result is the expected one and that the contract allows it. It
// also checks that the cases reach every outcome the contract declares.
func Native(t *testing.T, c contract.Contract, decide contract.Decider) {
	cs := Load(t, c)
	reached := map[string]bool{}
	for _, tc := range cs {
		reached[tc.Reason] = true
	}
	for _, o := range c.Outcomes {
		assert.True(t, reached[o.Reason], "no case expects reason %q", o.Reason)
	}
	for _, tc := range cs {
		t.Run(tc.Name, func(t *testing.T) {
			fields, err := tc.Fields(c.Reads)
			require.NoError(t, err)
			got := decide(fields)
			assertResult(t, tc, got.Reason, got.Calls)
			_, err = c.Check(got)
			assert.NoError(t, err, "the contract refuses the decision")
		})
	}
}

// Module runs every case through mod, a module under wazero, as the shim
// would: no failure, the expected reason and calls.
func Module(t *testing.T, mod *host.Module) {
	for _, tc := range Load(t, mod.Contract()) {
		t.Run(tc.Name, func(t *testing.T) {
			ev, err := event.Parse(tc.Event)
			require.NoError(t, err)
			out := mod.Run(context.Background(), ev)
			require.Nil(t, out.Failure, "got a failure, want a decision")
			assertResult(t, tc, out.Reason, out.Calls)
		})
	}
}

func assertResult(t *testing.T, tc cases.Case, reason string, calls []abi.Call) {
	t.Helper()
	want, err := tc.WantCalls()
	require.NoError(t, err)
	assert.Equal(t, tc.Reason, reason, "reason: got %q, want %q (testdata/%s)", reason, tc.Reason, tc.File)
	if len(want) == 0 && len(calls) == 0 {
		return // nil and empty are the same: no calls
	}
	assert.Equal(t, want, calls, "calls (testdata/%s)", tc.File)
}
