package guest_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/internal/abi"
	"github.com/floatme/auth0-wasm-actions/internal/guest"
)

func respond(t *testing.T, fields int, decide func([]abi.Value) abi.Result, req []byte) (abi.Result, *abi.Error) {
	t.Helper()
	res, err := abi.DecodeResponse(guest.Respond(nil, fields, decide, req))
	var gerr *abi.Error
	if errors.As(err, &gerr) {
		return res, gerr
	}
	require.NoError(t, err)
	return res, nil
}

func TestRespondDecides(t *testing.T) {
	decide := func(in []abi.Value) abi.Result { return abi.Result{Reason: in[0].Str} }
	res, gerr := respond(t, 1, decide, abi.AppendRequest(nil, []abi.Value{abi.StringValue("echo")}))
	require.Nil(t, gerr)
	assert.Equal(t, "echo", res.Reason)
}

// TestRespondRecoversPanics: errors are data; no panic escapes.
func TestRespondRecoversPanics(t *testing.T) {
	for name, tt := range map[string]struct {
		decide func([]abi.Value) abi.Result
		want   string
	}{
		"string":        {func([]abi.Value) abi.Result { panic("boom") }, "boom"},
		"error":         {func([]abi.Value) abi.Result { panic(errors.New("bang")) }, "bang"},
		"runtime error": {func(in []abi.Value) abi.Result { return abi.Result{Reason: in[5].Str} }, "runtime error: index out of range [5] with length 1"},
		"other value":   {func([]abi.Value) abi.Result { panic(42) }, "panic with a value that is neither an error nor a string"},
		"nil decider":   {nil, "runtime error: invalid memory address or nil pointer dereference"},
	} {
		t.Run(name, func(t *testing.T) {
			_, gerr := respond(t, 1, tt.decide, abi.AppendRequest(nil, []abi.Value{{}}))
			require.NotNil(t, gerr)
			assert.Equal(t, abi.Error{Code: guest.CodePanic, Message: tt.want}, *gerr)
		})
	}
}

func TestRespondRefusesBadRequests(t *testing.T) {
	never := func([]abi.Value) abi.Result { panic("decide must not run") }
	for name, req := range map[string][]byte{
		"malformed":      {abi.Version, 1},
		"too few fields": abi.AppendRequest(nil, []abi.Value{{}}),
		"too many":       abi.AppendRequest(nil, []abi.Value{{}, {}, {}}),
	} {
		_, gerr := respond(t, 2, never, req)
		require.NotNil(t, gerr, name)
		assert.Equal(t, guest.CodeBadRequest, gerr.Code, name)
	}
}

// TestRespondReusesDst: the response is written over dst from its start.
func TestRespondReusesDst(t *testing.T) {
	decide := func([]abi.Value) abi.Result { return abi.Result{Reason: "r"} }
	dst := make([]byte, 3, 64)
	out := guest.Respond(dst, 0, decide, abi.AppendRequest(nil, nil))
	assert.Equal(t, abi.AppendResult(nil, abi.Result{Reason: "r"}), out)
	assert.Same(t, &dst[:1][0], &out[:1][0], "dst's storage was not reused")
}
