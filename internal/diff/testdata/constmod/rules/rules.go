// Package rules holds the constants a test expects to be found.
package rules

// Domain is a constant expression: it counts as its value.
const Domain = "partner" + ".example"

const limit = 1 << 3

// Exempt uses a literal and a constant of another kind.
func Exempt(s string) bool {
	return s == Domain || s == "inline-literal" || len(s) > limit || false
}
