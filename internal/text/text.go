// Package text holds the string rules the actions share.
package text

import (
	"strings"
	"unicode"
)

// EqualFold reports whether a and b are the same once their ASCII letters
// are lower-cased, every other byte compared as it is. Domain names compare
// case-insensitively in ASCII only (RFC 4343); Unicode case folding would
// let a different name pass for a configured one (the Kelvin sign U+212A
// folds to "k", U+0130 to "i"). It makes no lower-cased copy: a field may
// hold a 16 MiB string, and a copy would double what a guest needs.
func EqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lower(a[i]) != lower(b[i]) {
			return false
		}
	}
	return true
}

// lower lower-cases an ASCII letter and returns any other byte as it is.
func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
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

// Domain trims a domain name (as Trim) and removes one trailing dot:
// "Example.COM. " and "example.com" are the same name, compared with
// EqualFold. It returns a part of s, never a copy.
func Domain(s string) string { return strings.TrimSuffix(Trim(s), ".") }
