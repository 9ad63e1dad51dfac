package host_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/actions"
	"github.com/floatme/auth0-wasm-actions/actions/mfa"
	"github.com/floatme/auth0-wasm-actions/internal/cases/casetest"
	. "github.com/floatme/auth0-wasm-actions/internal/host"
)

// load returns wasm loaded under the contract of the action called name.
func load(t testing.TB, name string, wasm []byte) *Module {
	t.Helper()
	a, ok := actions.Named(name)
	require.True(t, ok, "unknown action %q", name)
	mod, err := Load(context.Background(), wasm, a.Contract)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, mod.Close(context.Background())) })
	return mod
}

// TestSharedCases runs testdata/ through the shipped modules.
func TestSharedCases(t *testing.T) {
	eachBuild(t, func(t *testing.T, b *build) {
		for _, a := range actions.All {
			t.Run(a.Contract.Action, func(t *testing.T) {
				casetest.Module(t, load(t, a.Contract.Action, b.modules[a.Contract.Action]))
			})
		}
	})
}

func TestInstanceIsReused(t *testing.T) {
	eachBuild(t, func(t *testing.T, b *build) {
		mod := load(t, mfa.Contract.Action, b.modules[mfa.Contract.Action])
		for range 20 {
			out := mod.Run(context.Background(), map[string]any{})
			require.Nil(t, out.Failure)
		}
		assert.Equal(t, 1, mod.Instantiations(), "instances started for 20 decisions")
	})
}

func TestLoadRefusesBytesThatAreNotAModule(t *testing.T) {
	eachBuild(t, func(t *testing.T, b *build) {
		for name, wasm := range map[string][]byte{
			"empty":     nil,
			"not wasm":  []byte("not a wasm module"),
			"truncated": b.modules[mfa.Contract.Action][:len(b.modules[mfa.Contract.Action])/2],
		} {
			t.Run(name, func(t *testing.T) {
				_, err := Load(context.Background(), wasm, mfa.Contract)
				var f *Failure
				require.ErrorAs(t, err, &f)
				assert.Equal(t, ReasonModuleLoad, f.Reason)
				assert.Equal(t, "host", f.Side)
			})
		}
	})
}
