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
