package host_test

// The ABI rules of internal/abi/ABI.md, as tests against the shipped modules
// through raw wazero calls (not through host.Module).

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"

	"github.com/floatme/auth0-wasm-actions/actions"
	"github.com/floatme/auth0-wasm-actions/actions/mfa"
	"github.com/floatme/auth0-wasm-actions/internal/abi"
	"github.com/floatme/auth0-wasm-actions/internal/guest"
)

// rawCache shares compiled code between the raw instances of these tests.
var rawCache = wazero.NewCompilationCache()

func rawInstance(t testing.TB, wasm []byte) api.Module {
	t.Helper()
	ctx := context.Background()
	rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().WithCompilationCache(rawCache))
	t.Cleanup(func() { assert.NoError(t, rt.Close(ctx)) })
	wasi_snapshot_preview1.MustInstantiate(ctx, rt)
	inst, err := rt.InstantiateWithConfig(ctx, wasm, wazero.NewModuleConfig().WithStartFunctions(abi.ExportInitialize))
	require.NoError(t, err)
	return inst
}

func call(t testing.TB, inst api.Module, name string, args ...uint64) uint64 {
	t.Helper()
	out, err := inst.ExportedFunction(name).Call(context.Background(), args...)
	require.NoError(t, err, "calling %s", name)
	return out[0]
}

// rawDecide writes req into the input buffer, calls decide and returns the
// response's pointer and a copy of its bytes.
func rawDecide(t testing.TB, inst api.Module, req []byte) (uint32, []byte) {
	t.Helper()
	ptr := call(t, inst, abi.ExportInputBuffer, uint64(len(req)))
	require.NotZero(t, ptr, "input_buffer(%d)", len(req))
	require.True(t, inst.Memory().Write(uint32(ptr), req))
	rp, rn := abi.SplitPacked(call(t, inst, abi.ExportDecide, uint64(len(req))))
	resp, ok := inst.Memory().Read(rp, rn)
	require.True(t, ok, "response out of memory")
	return rp, append([]byte(nil), resp...)
}

func requireGuestError(t *testing.T, resp []byte, code string) {
	t.Helper()
	_, err := abi.DecodeResponse(resp)
	var gerr *abi.Error
	require.True(t, errors.As(err, &gerr), "got %v, want a guest error", err)
	assert.Equal(t, code, gerr.Code)
}

func TestABIExportSignatures(t *testing.T) {
	eachBuild(t, func(t *testing.T, b *build) {
		i32, i64 := api.ValueTypeI32, api.ValueTypeI64
		want := map[string][2][]api.ValueType{
			abi.ExportInitialize:  {nil, nil},
			abi.ExportVersion:     {nil, {i32}},
			abi.ExportInputBuffer: {{i32}, {i32}},
			abi.ExportDecide:      {{i32}, {i64}},
		}
		for _, a := range actions.All {
			t.Run(a.Contract.Action, func(t *testing.T) {
				ctx := context.Background()
				rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().WithCompilationCache(rawCache))
				defer rt.Close(ctx)
				mod, err := rt.CompileModule(ctx, b.modules[a.Contract.Action])
				require.NoError(t, err)
				fns := mod.ExportedFunctions()
				for name, sig := range want {
					require.Contains(t, fns, name)
					assert.Equal(t, sig[0], nilIfEmpty(fns[name].ParamTypes()), "%s params", name)
					assert.Equal(t, sig[1], nilIfEmpty(fns[name].ResultTypes()), "%s results", name)
				}
				assert.Contains(t, mod.ExportedMemories(), abi.ExportMemory)
				assert.Equal(t, uint64(abi.Version), call(t, rawInstance(t, b.modules[a.Contract.Action]), abi.ExportVersion))
			})
		}
	})
}

func nilIfEmpty(ts []api.ValueType) []api.ValueType {
	if len(ts) == 0 {
		return nil
	}
	return ts
}

func TestABIInputBufferBounds(t *testing.T) {
	eachBuild(t, func(t *testing.T, b *build) {
		inst := rawInstance(t, b.modules[mfa.Contract.Action])
		for _, tt := range []struct {
			size    uint64
			refused bool
		}{
			{0, false}, {1, false}, {abi.MaxRequest - 1, false}, {abi.MaxRequest, false},
			{abi.MaxRequest + 1, true}, {math.MaxInt32, true}, {math.MaxUint32, true},
		} {
			got := call(t, inst, abi.ExportInputBuffer, tt.size)
			assert.Equal(t, tt.refused, got == 0, "input_buffer(%d) = %d", tt.size, got)
		}
	})
}

func TestABIDecideBeyondTheInputBuffer(t *testing.T) {
	eachBuild(t, func(t *testing.T, b *build) {
		inst := rawInstance(t, b.modules[mfa.Contract.Action])
		require.NotZero(t, call(t, inst, abi.ExportInputBuffer, 10))
		rp, rn := abi.SplitPacked(call(t, inst, abi.ExportDecide, 11))
		resp, ok := inst.Memory().Read(rp, rn)
		require.True(t, ok)
		requireGuestError(t, resp, guest.CodeBadRequest)
	})
}

// TestABIFieldCount: exactly len(Reads) fields is a request; one fewer or
// one more is a bad request.
func TestABIFieldCount(t *testing.T) {
	eachBuild(t, func(t *testing.T, b *build) {
		inst := rawInstance(t, b.modules[mfa.Contract.Action])
		n := len(mfa.Contract.Reads)
		for _, count := range []int{0, n - 1, n + 1} {
			_, resp := rawDecide(t, inst, abi.AppendRequest(nil, make([]abi.Value, count)))
			requireGuestError(t, resp, guest.CodeBadRequest)
		}
		_, resp := rawDecide(t, inst, abi.AppendRequest(nil, make([]abi.Value, n)))
		res, err := abi.DecodeResponse(resp)
		require.NoError(t, err)
		assert.Equal(t, mfa.ReasonNotRequired, res.Reason)
	})
}

// TestABIMalformedRequests: each is answered with bad-request, and the
// instance goes on answering.
func TestABIMalformedRequests(t *testing.T) {
	eachBuild(t, func(t *testing.T, b *build) {
		inst := rawInstance(t, b.modules[mfa.Contract.Action])
		good := abi.AppendRequest(nil, make([]abi.Value, len(mfa.Contract.Reads)))
		for name, req := range map[string][]byte{
			"empty":          {},
			"version 2":      append([]byte{2}, good[1:]...),
			"truncated":      good[:len(good)-1],
			"trailing byte":  append(append([]byte(nil), good...), 0),
			"unknown kind":   append(append([]byte(nil), good[:len(good)-1]...), 8),
			"count too big":  {abi.Version, 0xff, 0xff, 0xff, 0xff},
			"bad utf-8":      abi.AppendRequest(nil, []abi.Value{abi.StringValue("\xff")}),
			"bool byte of 2": {abi.Version, 1, 0, 0, 0, byte(abi.Bool), 2},
		} {
			t.Run(name, func(t *testing.T) {
				_, resp := rawDecide(t, inst, req)
				requireGuestError(t, resp, guest.CodeBadRequest)
				_, resp = rawDecide(t, inst, good)
				_, err := abi.DecodeResponse(resp)
				require.NoError(t, err, "the instance stopped answering")
			})
		}
	})
}

// TestABIResponseOutlivesInputBuffer: the response stays valid, at the same
// place, until the next decide, even when the input buffer is replaced.
func TestABIResponseOutlivesInputBuffer(t *testing.T) {
	eachBuild(t, func(t *testing.T, b *build) {
		inst := rawInstance(t, b.modules[mfa.Contract.Action])
		rp, resp := rawDecide(t, inst, abi.AppendRequest(nil, make([]abi.Value, len(mfa.Contract.Reads))))
		big := call(t, inst, abi.ExportInputBuffer, 4<<20)
		require.NotZero(t, big)
		require.True(t, inst.Memory().Write(uint32(big), []byte(strings.Repeat("\xaa", 4<<20))))
		again, ok := inst.Memory().Read(rp, uint32(len(resp)))
		require.True(t, ok)
		assert.Equal(t, resp, again)
	})
}

// TestABIMemoryGrows: a request larger than the module's initial memory is
// answered.
func TestABIMemoryGrows(t *testing.T) {
	eachBuild(t, func(t *testing.T, b *build) {
		inst := rawInstance(t, b.modules[mfa.Contract.Action])
		before := inst.Memory().Size()
		fields := make([]abi.Value, len(mfa.Contract.Reads))
		fields[slices.Index(mfa.Contract.Reads, "user.email")] = abi.StringValue(strings.Repeat("x", int(before)) + "@example.com")
		_, resp := rawDecide(t, inst, abi.AppendRequest(nil, fields))
		res, err := abi.DecodeResponse(resp)
		require.NoError(t, err)
		assert.Equal(t, mfa.ReasonNotRequired, res.Reason)
		assert.Greater(t, inst.Memory().Size(), before, "memory size")
	})
}
