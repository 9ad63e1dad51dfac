package host_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tetratelabs/wazero/api"

	"github.com/floatme/auth0-wasm-actions/actions"
	"github.com/floatme/auth0-wasm-actions/internal/abi"
	"github.com/floatme/auth0-wasm-actions/internal/cases"
	"github.com/floatme/auth0-wasm-actions/internal/guest"
)

// Byte-level targets: any request bytes, most of them malformed.
func FuzzMFAAgrees(f *testing.F)       { fuzzBytes(f, "mfa_action") }
func FuzzIPMetaAgrees(f *testing.F)    { fuzzBytes(f, "add_ip_to_metadata") }
func FuzzEnableMFAAgrees(f *testing.F) { fuzzBytes(f, "enable_mfa") }

// Field-level targets: always well-formed requests, so every input reaches
// the decision.
func FuzzMFAFieldsAgree(f *testing.F)    { fuzzFields(f, "mfa_action") }
func FuzzIPMetaFieldsAgree(f *testing.F) { fuzzFields(f, "add_ip_to_metadata") }

// seeded returns the action called name, the shared cases' fields as its
// seeds, and a raw instance of its module from each build (TinyGo's, the
// standard Go toolchain's), reused across inputs as the shim reuses one.
func seeded(f *testing.F, name string) (actions.Action, [][]abi.Value, []api.Module) {
	a, ok := actions.Named(name)
	require.True(f, ok)
	cs, err := cases.Load(name)
	require.NoError(f, err)
	var seeds [][]abi.Value
	for _, c := range cs {
		fields, err := c.Fields(a.Contract.Reads)
		require.NoError(f, err)
		seeds = append(seeds, fields)
	}
	var insts []api.Module
	for _, b := range builds {
		insts = append(insts, rawInstance(f, b.modules[name]))
	}
	return a, seeds, insts
}

// agree checks that the native decision does not panic on req and that
// every build's module (three compilations of one source, with the native
// one) answers byte for byte what the same Go code answers natively.
func agree(t *testing.T, a actions.Action, insts []api.Module, req []byte) {
	native := guest.Respond(nil, len(a.Contract.Reads), a.Decide, req)
	var gerr *abi.Error
	if _, err := abi.DecodeResponse(native); errors.As(err, &gerr) {
		require.NotEqual(t, guest.CodePanic, gerr.Code, "the decision panicked: %s", gerr.Message)
	}
	for i, inst := range insts {
		_, wasm := rawDecide(t, inst, req)
		assert.Equal(t, native, wasm, "native and %s module responses differ", builds[i].compiler)
	}
}

func fuzzBytes(f *testing.F, name string) {
	a, seeds, insts := seeded(f, name)
	for _, fields := range seeds {
		f.Add(abi.AppendRequest(nil, fields))
	}
	f.Fuzz(func(t *testing.T, req []byte) { agree(t, a, insts, req) })
}

// maxFields is the most fields an action reads (mfa_action's nine).
const maxFields = 9

// fuzzFields builds field i from 3 bits of kinds, strs[i] and num: a Bool is
// true when strs[i] has odd length, a Number is num, a String is strs[i].
func fuzzFields(f *testing.F, name string) {
	a, seeds, insts := seeded(f, name)
	require.LessOrEqual(f, len(a.Contract.Reads), maxFields)
	for _, fields := range seeds {
		var kinds uint64
		var num float64
		strs := make([]any, maxFields)
		for i := range strs {
			strs[i] = ""
		}
		for i, v := range fields {
			kinds |= uint64(v.Kind) << (3 * i)
			switch v.Kind {
			case abi.Number:
				num = v.Num
			case abi.String:
				strs[i] = v.Str
			case abi.Bool:
				if v.Bool {
					strs[i] = "t" // odd length: true
				}
			}
		}
		f.Add(append([]any{kinds, num}, strs...)...)
	}
	f.Fuzz(func(t *testing.T, kinds uint64, num float64, s0, s1, s2, s3, s4, s5, s6, s7, s8 string) {
		strs := [maxFields]string{s0, s1, s2, s3, s4, s5, s6, s7, s8}
		fields := make([]abi.Value, len(a.Contract.Reads))
		for i := range fields {
			k := abi.Kind(kinds >> (3 * i) & 7)
			switch s := strings.ToValidUTF8(strs[i], "\uFFFD"); k {
			case abi.Bool:
				fields[i] = abi.BoolValue(len(s)%2 == 1)
			case abi.Number:
				fields[i] = abi.NumberValue(num)
			case abi.String:
				fields[i] = abi.StringValue(s)
			default:
				fields[i] = abi.KindValue(k)
			}
		}
		agree(t, a, insts, abi.AppendRequest(nil, fields))
	})
}
