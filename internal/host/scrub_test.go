package host

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestScrubCutOutput: when the output capture ends inside a secret, the
// part of the secret that was kept is redacted, at every cut position; an
// output that was not cut keeps a tail that merely looks like a secret's
// start.
func TestScrubCutOutput(t *testing.T) {
	const secret = "s3cret-value"
	ev := map[string]any{"secrets": map[string]any{"TEST_TENANT_ID": secret}}
	for n := 0; n <= len(secret); n++ {
		text := "panic: the test tenant is " + secret[:n]
		for _, cut := range []bool{true, false} {
			got := scrub("wasm error: unreachable", guestOutput{text: []byte(text), cut: cut}, ev)
			want := "wasm error: unreachable: panic: the test tenant is " + secret[:n]
			switch {
			case n == len(secret), cut && n > 0:
				want = "wasm error: unreachable: panic: the test tenant is [redacted]"
			case n == 0:
				want = "wasm error: unreachable: panic: the test tenant is"
			}
			assert.Equal(t, want, got, "%d bytes of the secret kept, cut %v", n, cut)
		}
	}
}

// TestScrubRedactsBeforeTakingTheFirstLine: a secret with a line break is
// redacted whole; its first line alone is never shown.
func TestScrubRedactsBeforeTakingTheFirstLine(t *testing.T) {
	ev := map[string]any{"secrets": map[string]any{"A": "line-one\nline-two"}}
	got := scrub("trap", guestOutput{text: []byte("panic: line-one\nline-two\n")}, ev)
	assert.Equal(t, "trap: panic: [redacted]", got)
}

func TestScrubWithholdsForShortSecrets(t *testing.T) {
	for _, n := range []int{1, minRedactedSecret - 1} {
		ev := map[string]any{"secrets": map[string]any{"A": strings.Repeat("x", n), "B": "long-enough-secret"}}
		assert.Equal(t, withheld, scrub("detail", guestOutput{text: []byte("out")}, ev), "a secret of %d bytes", n)
	}
	ev := map[string]any{"secrets": map[string]any{"A": strings.Repeat("x", minRedactedSecret)}}
	assert.Equal(t, "detail [redacted]", scrub("detail "+strings.Repeat("x", minRedactedSecret), guestOutput{}, ev), "a secret of exactly the minimum")
}

// TestScrubFindsEveryPiece: a secret's white-space separated pieces are
// each redacted, whatever white space the text puts between them; a piece
// too short to redact withholds the text, as the shim does.
func TestScrubFindsEveryPiece(t *testing.T) {
	const secret = "first-piece-1234 second-piece-5678"
	ev := map[string]any{"secrets": map[string]any{"A": secret}}
	for name, text := range map[string]string{
		"as it is":          "denied for " + secret,
		"a tab":             "denied for first-piece-1234\tsecond-piece-5678",
		"a line break":      "denied for first-piece-1234\r\nsecond-piece-5678",
		"a byte-order mark": "denied for first-piece-1234\ufeffsecond-piece-5678",
		"reversed":          "denied for second-piece-5678 first-piece-1234",
	} {
		got := scrub(text, guestOutput{}, ev)
		assert.Equal(t, "denied for [redacted] [redacted]", got, "text with %s", name)
	}
	ev = map[string]any{"secrets": map[string]any{"A": "abc defgh-long-enough"}}
	assert.Equal(t, withheld, scrub("denied for abc\tdefgh-long-enough", guestOutput{}, ev), "a piece of 3 bytes")
}
