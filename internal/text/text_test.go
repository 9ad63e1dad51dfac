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
		{"  Example.COM\t", "Example.COM"},
		{"example.com.", "example.com"},
		{"example.com..", "example.com."},
		{".", ""},
		{"\u00a0example.com\u3000", "example.com"}, // Unicode white space is trimmed
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, text.Domain(tt.in), "Domain(%q)", tt.in)
	}
}

func TestEqualFold(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"example.com", "EXAMPLE.Com", true},
		{"", "", true},
		{"az@[`{", "AZ@[`{", true},                           // the letters' neighbours stay
		{"@[`{", "`{@[", false},                              // and do not fold into each other
		{"example.k", "EXAMPLE.\u212a", false},               // the Kelvin sign is not K
		{"integration.test", "\u0130NTEGRATION.TEST", false}, // nor dotted capital I i
		{"ÜBER.DE", "Über.de", true},                         // only ASCII letters fold
		{"über.de", "ÜBER.DE", false},
		{"example.com", "example.co", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, text.EqualFold(tt.a, tt.b), "EqualFold(%q, %q)", tt.a, tt.b)
	}
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
