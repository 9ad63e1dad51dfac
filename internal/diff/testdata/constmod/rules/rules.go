// Package rules holds the constants a test expects to be found.
package rules

// Domain is a constant expression: it counts as its value.
const Domain = "partner" + ".example"

const limit = 1 << 3

// Two long constants that differ only after their 48th byte.
const (
	longA = "a-long-domain-name-that-runs-past-what-a-report-shows.example"
	longB = "a-long-domain-name-that-runs-past-what-a-report-shows.exampla"
)

// Exempt uses a literal and a constant of another kind.
func Exempt(s string) bool {
	return s == Domain || s == "inline-literal" || len(s) > limit || false || s == longA || s == longB
}
