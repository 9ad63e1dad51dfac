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

// target is one action under fuzzing: its seeds (the shared cases' fields)
// and a raw instance of its module from each build (TinyGo's, the standard
// Go toolchain's), reused across inputs as the shim reuses one.
type target struct {
	action actions.Action
	seeds  [][]abi.Value
	insts  []api.Module
}

// targets returns every action of actions.All as a target, in its order:
// an input picks one by its index, so a new action is fuzzed with no edit.
func targets(f *testing.F) []target {
	var ts []target
	for _, a := range actions.All {
		name := a.Contract.Action
		cs, err := cases.Load(name)
		require.NoError(f, err)
		tg := target{action: a}
		for _, c := range cs {
			fields, err := c.Fields(a.Contract.Reads)
			require.NoError(f, err)
			tg.seeds = append(tg.seeds, fields)
		}
		for _, b := range builds {
			tg.insts = append(tg.insts, rawInstance(f, b.modules[name]))
		}
		ts = append(ts, tg)
	}
	return ts
}

// targetOf returns the target i names, modulo their number.
func targetOf(ts []target, i uint8) target { return ts[int(i)%len(ts)] }

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

// FuzzActionsAgree: any request bytes, most of them malformed, to the action
// the first byte picks.
func FuzzActionsAgree(f *testing.F) {
	ts := targets(f)
	for i, tg := range ts {
		for _, fields := range tg.seeds {
			f.Add(uint8(i), abi.AppendRequest(nil, fields))
		}
	}
	f.Fuzz(func(t *testing.T, i uint8, req []byte) {
		tg := targetOf(ts, i)
		agree(t, tg.action, tg.insts, req)
	})
}

// maxStrings is the number of strings a field-level input holds; field i
// takes string i modulo maxStrings.
const maxStrings = 9

// FuzzActionFieldsAgree: always well-formed requests, so every input
// reaches the decision of the action i picks. Field j is built from 3 bits
// of kinds (from bit 3j; beyond 64 bits, kind 0), a string and num: a Bool
// is true when its string has odd length, a Number is num, a String is its
// string.
func FuzzActionFieldsAgree(f *testing.F) {
	ts := targets(f)
	for i, tg := range ts {
		for _, fields := range tg.seeds {
			in := seedFields(fields)
			s := in.strs
			f.Add(uint8(i), in.kinds, in.num, s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8])
		}
	}
	f.Fuzz(func(t *testing.T, i uint8, kinds uint64, num float64, s0, s1, s2, s3, s4, s5, s6, s7, s8 string) {
		tg := targetOf(ts, i)
		strs := [maxStrings]string{s0, s1, s2, s3, s4, s5, s6, s7, s8}
		fields := make([]abi.Value, len(tg.action.Contract.Reads))
		for j := range fields {
			fields[j] = field(abi.Kind(kinds>>(3*j)&7), strings.ToValidUTF8(strs[j%maxStrings], "\uFFFD"), num)
		}
		agree(t, tg.action, tg.insts, abi.AppendRequest(nil, fields))
	})
}

// field returns the value of kind k built from s and num.
func field(k abi.Kind, s string, num float64) abi.Value {
	switch k {
	case abi.Bool:
		return abi.BoolValue(len(s)%2 == 1)
	case abi.Number:
		return abi.NumberValue(num)
	case abi.String:
		return abi.StringValue(s)
	}
	return abi.KindValue(k)
}

// fieldsInput is what FuzzActionFieldsAgree builds fields from.
type fieldsInput struct {
	kinds uint64
	num   float64
	strs  [maxStrings]string
}

// seedFields returns the input FuzzActionFieldsAgree builds fields back from.
func seedFields(fields []abi.Value) fieldsInput {
	var in fieldsInput
	for j, v := range fields {
		in.kinds |= uint64(v.Kind) << (3 * j)
		switch v.Kind {
		case abi.Number:
			in.num = v.Num
		case abi.String:
			in.strs[j%maxStrings] = v.Str
		case abi.Bool:
			if v.Bool {
				in.strs[j%maxStrings] = "t" // odd length: true
			}
		}
	}
	return in
}
