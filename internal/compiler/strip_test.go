package compiler

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// section frames a section: id, one-byte LEB128 size, payload.
func section(id byte, payload string) string { return string([]byte{id, byte(len(payload))}) + payload }

func TestStripCustomSections(t *testing.T) {
	typeSec := section(1, "\x01\x60\x00\x00")
	name := section(0, "\x04name\x01\x02")
	producers := section(0, "\x09producers")
	got, err := stripCustomSections([]byte(wasmHeader + name + typeSec + producers + section(3, "\x01\x00")))
	require.NoError(t, err)
	assert.Equal(t, wasmHeader+typeSec+section(3, "\x01\x00"), string(got))

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
