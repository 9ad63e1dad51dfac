package text_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/floatme/auth0-wasm-actions/internal/text"
)

func TestDomain(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"example.com", "example.com"},
		{"  Example.COM\t", "example.com"},
		{"example.com.", "example.com"},
		{"example.com..", "example.com."},
		{".", ""},
		{"\u00a0example.com\u3000", "example.com"},         // Unicode white space is trimmed
		{"EXAMPLE.\u212a", "example.\u212a"},               // the Kelvin sign stays
		{"\u0130NTEGRATION.TEST", "\u0130ntegration.test"}, // so does dotted capital I
		{"ÜBER.DE", "Über.de"},                             // only ASCII letters fold
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, text.Domain(tt.in), "Domain(%q)", tt.in)
	}
}

func TestLowerASCIIReturnsItsInputWhenLower(t *testing.T) {
	s := "already-lower.example"
	assert.Equal(t, s, text.LowerASCII(s))
	assert.Equal(t, "az@[`{", text.LowerASCII("AZ@[`{"), "the letters' neighbours stay")
}
