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

// TestIsJSSpace checks every code point against ECMAScript's WhiteSpace and
// LineTerminator: TAB, LF, VT, FF, CR, SPACE, NBSP, U+1680, U+2000..U+200A,
// U+2028, U+2029, U+202F, U+205F, U+3000 and U+FEFF.
func TestIsJSSpace(t *testing.T) {
	want := map[rune]bool{9: true, 10: true, 11: true, 12: true, 13: true, 32: true, 0xa0: true,
		0x1680: true, 0x2028: true, 0x2029: true, 0x202f: true, 0x205f: true, 0x3000: true, 0xfeff: true}
	for r := rune(0x2000); r <= 0x200a; r++ {
		want[r] = true
	}
	for r := rune(0); r <= 0x10ffff; r++ {
		if text.IsJSSpace(r) != want[r] {
			t.Errorf("IsJSSpace(%U) = %v, want %v", r, !want[r], want[r])
		}
	}
}
