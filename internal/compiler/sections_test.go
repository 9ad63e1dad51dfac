package compiler

import (
	"context"
	"testing"

	"github.com/tetratelabs/wazero"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// frame frames a section: id, one-byte LEB128 size, payload.
func frame(id byte, payload string) string { return string([]byte{id, byte(len(payload))}) + payload }

func TestStripCustomSections(t *testing.T) {
	typeSec := frame(1, "\x01\x60\x00\x00")
	name := frame(0, "\x04name\x01\x02")
	producers := frame(0, "\x09producers")
	got, err := stripCustomSections([]byte(wasmHeader + name + typeSec + producers + frame(3, "\x01\x00")))
	require.NoError(t, err)
	assert.Equal(t, wasmHeader+typeSec+frame(3, "\x01\x00"), string(got))

	got, err = stripCustomSections([]byte(wasmHeader))
	require.NoError(t, err)
	assert.Equal(t, wasmHeader, string(got), "a module with no sections")
}

// TestStripCustomSectionsRefusesBadFraming: a size one byte past the end is
// refused, one that ends exactly at the end is not.
func TestStripCustomSectionsRefusesBadFraming(t *testing.T) {
	for name, tt := range map[string]struct {
		wasm string
		ok   bool
	}{
		"size ends at the end":  {wasmHeader + "\x01\x02ab", true},
		"size one byte past":    {wasmHeader + "\x01\x03ab", false},
		"no size":               {wasmHeader + "\x01", false},
		"unterminated LEB128":   {wasmHeader + "\x01\x80", false},
		"LEB128 over 5 bytes":   {wasmHeader + "\x01\x80\x80\x80\x80\x80\x00", false},
		"not wasm":              {"\x00asn\x01\x00\x00\x00", false},
		"version 2":             {"\x00asm\x02\x00\x00\x00", false},
		"shorter than a header": {"\x00asm", false},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := stripCustomSections([]byte(tt.wasm))
			assert.Equal(t, tt.ok, err == nil, "err = %v", err)
		})
	}
}

// exportMemory exports memory 0 as "memory".
var exportMemory = frame(7, "\x01\x06memory\x02\x00")

// TestLimitMemory: the memory section gets the maximum (4 pages here),
// whether it had none or another; every other section is kept, in order.
func TestLimitMemory(t *testing.T) {
	typeSec := frame(1, "\x01\x60\x00\x00")
	for name, memory := range map[string]string{
		"no maximum":      "\x01\x00\x02",
		"a larger one":    "\x01\x01\x02\x80\x10",
		"a smaller one":   "\x01\x01\x02\x03",
		"long LEB128 min": "\x01\x00\x82\x00",
	} {
		t.Run(name, func(t *testing.T) {
			got, err := limitMemory([]byte(wasmHeader+typeSec+frame(5, memory)+exportMemory), 4*wasmPage)
			require.NoError(t, err)
			assert.Equal(t, wasmHeader+typeSec+frame(5, "\x01\x01\x02\x04")+exportMemory, string(got))
		})
	}
}

// TestLimitMemoryWazeroReadsIt: a runtime sees the maximum, and refuses to
// grow past it.
func TestLimitMemoryWazeroReadsIt(t *testing.T) {
	ctx := context.Background()
	wasm, err := limitMemory([]byte(wasmHeader+frame(5, "\x01\x00\x01")+exportMemory), 3*wasmPage)
	require.NoError(t, err)
	rt := wazero.NewRuntime(ctx)
	defer rt.Close(ctx)
	mod, err := rt.Instantiate(ctx, wasm)
	require.NoError(t, err)
	mem := mod.ExportedMemory("memory")
	max, ok := mem.Definition().Max()
	require.True(t, ok, "the memory has a maximum")
	assert.Equal(t, uint32(3), max, "maximum, pages")
	_, grew := mem.Grow(3)
	assert.False(t, grew, "grew from 1 page to 4, over the maximum of 3")
	_, grew = mem.Grow(2)
	assert.True(t, grew, "grew from 1 page to 3, the maximum")
}

func TestLimitMemoryRefuses(t *testing.T) {
	for name, tt := range map[string]struct {
		wasm string
		max  uint32
	}{
		"no memory section":        {wasmHeader + frame(1, "\x01\x60\x00\x00"), 4 * wasmPage},
		"two memories":             {wasmHeader + frame(5, "\x02\x00\x01\x00\x01"), 4 * wasmPage},
		"a shared memory":          {wasmHeader + frame(5, "\x01\x03\x01\x04"), 4 * wasmPage},
		"a 64-bit memory":          {wasmHeader + frame(5, "\x01\x04\x01"), 4 * wasmPage},
		"bytes after the limits":   {wasmHeader + frame(5, "\x01\x00\x01\x00"), 4 * wasmPage},
		"limits cut short":         {wasmHeader + frame(5, "\x01\x01\x01"), 4 * wasmPage},
		"starts over the maximum":  {wasmHeader + frame(5, "\x01\x00\x05"), 4 * wasmPage},
		"a maximum of part a page": {wasmHeader + frame(5, "\x01\x00\x01"), 4*wasmPage + 1},
		"bad framing":              {wasmHeader + "\x05\x03ab", 4 * wasmPage},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := limitMemory([]byte(tt.wasm), tt.max)
			assert.Error(t, err)
		})
	}
}
