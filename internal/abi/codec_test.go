package abi_test

import (
	"errors"
	"math"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/internal/abi"
)

var everyKind = []abi.Value{
	abi.KindValue(abi.Missing), abi.KindValue(abi.Null), abi.BoolValue(false), abi.BoolValue(true),
	abi.NumberValue(0), abi.NumberValue(-1.5), abi.NumberValue(math.Inf(1)), abi.NumberValue(math.MaxFloat64),
	abi.StringValue(""), abi.StringValue("jane@example.com"), abi.StringValue("ünïcødé ✓"),
	abi.KindValue(abi.Object), abi.KindValue(abi.Array), abi.KindValue(abi.Other),
}

func TestRequestRoundTrip(t *testing.T) {
	for _, vals := range [][]abi.Value{{}, everyKind} {
		got, err := abi.DecodeRequest(abi.AppendRequest(nil, vals))
		require.NoError(t, err)
		assert.Equal(t, vals, got)
	}
}

// TestDecodeRequestSharedSharesTheBytes: the shared decoding gives the same
// values, its strings point into the request's bytes, and so they change
// with them.
func TestDecodeRequestSharedSharesTheBytes(t *testing.T) {
	req := abi.AppendRequest(nil, everyKind)
	got, err := abi.DecodeRequestShared(req)
	require.NoError(t, err)
	assert.Equal(t, everyKind, got)
	s := got[9].Str
	require.Equal(t, "jane@example.com", s)
	at := uintptr(unsafe.Pointer(unsafe.StringData(s))) - uintptr(unsafe.Pointer(&req[0]))
	require.Less(t, at, uintptr(len(req)), "the string is not in the request's bytes")
	req[at] = 'J'
	assert.Equal(t, "Jane@example.com", s, "the string after its byte changed")
}

// TestRequestBytes pins the format of ABI.md to the byte.
func TestRequestBytes(t *testing.T) {
	got := abi.AppendRequest(nil, []abi.Value{
		abi.KindValue(abi.Missing), abi.BoolValue(true), abi.NumberValue(1), abi.StringValue("hi"), abi.KindValue(abi.Object),
	})
	want := []byte{
		1,          // version
		5, 0, 0, 0, // count
		0,    // missing
		2, 1, // bool true
		3, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, // number 1.0
		4, 2, 0, 0, 0, 'h', 'i', // string "hi"
		5, // object
	}
	assert.Equal(t, want, got)
}

func TestResponseRoundTrip(t *testing.T) {
	for _, res := range []abi.Result{
		{Reason: "not-required"},
		{Reason: "mfa-required", Calls: []abi.Call{{Op: "multifactor.enable", Args: []abi.Value{abi.StringValue("any")}}}},
		{Reason: "every-kind", Calls: []abi.Call{{Op: "op", Args: everyKind}, {Op: "none", Args: []abi.Value{}}}},
	} {
		got, err := abi.DecodeResponse(abi.AppendResult(nil, res))
		require.NoError(t, err)
		assert.Equal(t, res, got)
	}
}

func TestErrorResponse(t *testing.T) {
	_, err := abi.DecodeResponse(abi.AppendError(nil, abi.Error{Code: "panic", Message: "boom"}))
	var gerr *abi.Error
	require.True(t, errors.As(err, &gerr), "got %v, want *abi.Error", err)
	assert.Equal(t, abi.Error{Code: "panic", Message: "boom"}, *gerr)
	assert.False(t, errors.Is(err, abi.ErrFormat), "a guest error is not a format error")
}

func TestMalformedResponses(t *testing.T) {
	ok := abi.AppendResult(nil, abi.Result{Reason: "r", Calls: []abi.Call{{Op: "o", Args: []abi.Value{abi.BoolValue(true)}}}})
	for name, b := range map[string][]byte{
		"empty":              {},
		"version only":       {abi.Version},
		"version 0":          append([]byte{0}, ok[1:]...),
		"unknown status":     {abi.Version, 2},
		"truncated":          ok[:len(ok)-1],
		"trailing byte":      append(append([]byte(nil), ok...), 0),
		"call count too big": {abi.Version, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f},
		"string past end":    {abi.Version, 0, 9, 0, 0, 0, 'r'},
		"bad utf-8 reason":   {abi.Version, 0, 1, 0, 0, 0, 0xff, 0, 0, 0, 0},
		"error truncated":    abi.AppendError(nil, abi.Error{Code: "c", Message: "m"})[:8],
	} {
		t.Run(name, func(t *testing.T) {
			_, err := abi.DecodeResponse(b)
			assert.ErrorIs(t, err, abi.ErrFormat)
		})
	}
}

// TestCountBoundary: a count equal to the bytes left is accepted, one more
// is refused before anything is allocated.
func TestCountBoundary(t *testing.T) {
	exact := []byte{abi.Version, 3, 0, 0, 0, 0, 0, 0}
	vals, err := abi.DecodeRequest(exact)
	require.NoError(t, err)
	assert.Len(t, vals, 3)
	_, err = abi.DecodeRequest([]byte{abi.Version, 4, 0, 0, 0, 0, 0, 0})
	assert.ErrorIs(t, err, abi.ErrFormat)
}

func TestPack(t *testing.T) {
	for _, tt := range [][2]uint32{{0, 0}, {1, 2}, {math.MaxUint32, math.MaxUint32}, {0x10000, 7}} {
		p, n := abi.SplitPacked(abi.Pack(tt[0], tt[1]))
		assert.Equal(t, tt, [2]uint32{p, n})
	}
}

func FuzzDecodeRequest(f *testing.F) {
	f.Add(abi.AppendRequest(nil, everyKind))
	f.Add([]byte{abi.Version, 0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		vals, err := abi.DecodeRequest(b)
		shared, sharedErr := abi.DecodeRequestShared(b)
		require.Equal(t, err, sharedErr, "the shared decoding's error")
		if err != nil {
			require.ErrorIs(t, err, abi.ErrFormat)
			return
		}
		// Compared as bytes: a NaN value is not equal to itself.
		require.Equal(t, b, abi.AppendRequest(nil, vals), "decoding then encoding changed the bytes")
		require.Equal(t, b, abi.AppendRequest(nil, shared), "the shared decoding's values encode to other bytes")
	})
}

func FuzzDecodeResponse(f *testing.F) {
	f.Add(abi.AppendResult(nil, abi.Result{Reason: "r", Calls: []abi.Call{{Op: "o", Args: everyKind}}}))
	f.Add(abi.AppendError(nil, abi.Error{Code: "c", Message: "m"}))
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := abi.DecodeResponse(b)
		var gerr *abi.Error
		switch {
		case errors.As(err, &gerr):
			require.Equal(t, b, abi.AppendError(nil, *gerr))
		case err != nil:
			require.ErrorIs(t, err, abi.ErrFormat)
		default:
			require.Equal(t, b, abi.AppendResult(nil, res), "decoding then encoding changed the bytes")
		}
	})
}
