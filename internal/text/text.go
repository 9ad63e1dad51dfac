// Package text holds the string rules the actions share.
package text

import (
	"strings"
	"unicode"
)

// LowerASCII lower-cases the ASCII letters of s and leaves every other byte as
// it is. Domain names compare case-insensitively in ASCII only (RFC 4343);
// Unicode lower-casing would let a different name fold into a configured one
// (the Kelvin sign U+212A lower-cases to "k", U+0130 to "i").
func LowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// Trim removes the white space around s that JavaScript's
// String.prototype.trim removes, so a value trims as it did in the
// JavaScript actions these replace.
func Trim(s string) string { return strings.TrimFunc(s, IsJSSpace) }

// IsJSSpace reports whether r is ECMAScript white space or a line
// terminator: Go's unicode.IsSpace without U+0085 (NEL), plus U+FEFF.
func IsJSSpace(r rune) bool {
	return r == '\uFEFF' || (r != '\u0085' && unicode.IsSpace(r))
}

// Fold trims s (as Trim) and lower-cases its ASCII letters.
func Fold(s string) string { return LowerASCII(Trim(s)) }

// Domain normalises a domain name for comparison: folded, and one trailing
// dot removed ("Example.COM." and "example.com" are the same name).
func Domain(s string) string { return strings.TrimSuffix(Fold(s), ".") }
