package host_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/actions"
	"github.com/floatme/auth0-wasm-actions/internal/abi"
	"github.com/floatme/auth0-wasm-actions/internal/cases"
	"github.com/floatme/auth0-wasm-actions/internal/guest"
)

func FuzzMFAAgrees(f *testing.F)       { fuzzAgrees(f, "mfa_action") }
func FuzzIPMetaAgrees(f *testing.F)    { fuzzAgrees(f, "add_ip_to_metadata") }
func FuzzEnableMFAAgrees(f *testing.F) { fuzzAgrees(f, "enable_mfa") }

// fuzzAgrees checks, for any request bytes, that the native decision never
// panics and that the shipped module answers byte for byte what the same Go
// code answers natively. The seeds are the shared cases' requests.
func fuzzAgrees(f *testing.F, name string) {
	a, ok := actions.Named(name)
	require.True(f, ok)
	cs, err := cases.Load(name)
	require.NoError(f, err)
	for _, c := range cs {
		fields, err := c.Fields(a.Contract.Reads)
		require.NoError(f, err)
		f.Add(abi.AppendRequest(nil, fields))
	}
	inst := rawInstance(f, shipped[name]) // reused, as the shim reuses one
	f.Fuzz(func(t *testing.T, req []byte) {
		native := guest.Respond(nil, len(a.Contract.Reads), a.Decide, req)
		var gerr *abi.Error
		if _, err := abi.DecodeResponse(native); errors.As(err, &gerr) {
			require.NotEqual(t, guest.CodePanic, gerr.Code, "the decision panicked: %s", gerr.Message)
		}
		_, wasm := rawDecide(t, inst, req)
		assert.Equal(t, native, wasm, "native and wasm responses differ")
	})
}
