package host

import (
	"bytes"
	"cmp"
	"slices"
	"strings"
)

// minRedactedSecret and withheld are the shim's MIN_REDACTED_SECRET and
// WITHHELD: below this many bytes, where the replacements fall would spell a
// secret out, so the whole text is withheld instead.
const (
	minRedactedSecret = 8
	withheld          = "(withheld: a secret is too short to redact)"
	redacted          = "[redacted]"
)

// scrub returns a failure's detail, and the first line of what the guest
// wrote, safe to show: every secret value of ev replaced, longest first,
// before anything else is done to the text (so a secret with a line break
// is not half kept by taking the first line), and a secret cut short where
// the output capture ended replaced too; then folded onto one line. With a
// secret too short to redact, everything is withheld.
func scrub(detail string, out guestOutput, ev any) string {
	secrets := secretValues(ev)
	slices.SortFunc(secrets, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	if slices.ContainsFunc(secrets, func(s string) bool { return len(s) < minRedactedSecret }) {
		return withheld
	}
	for _, s := range secrets {
		detail = strings.ReplaceAll(detail, s, redacted)
	}
	if line := firstLine(redactOutput(out, secrets)); line != "" {
		detail += ": " + line
	}
	return strings.Join(strings.Fields(detail), " ")
}

// redactOutput returns out's text with every secret replaced and, when the
// capture was cut, a tail that is the start of a secret replaced too.
func redactOutput(out guestOutput, secrets []string) []byte {
	text := out.text
	for _, s := range secrets {
		text = bytes.ReplaceAll(text, []byte(s), []byte(redacted))
	}
	if !out.cut {
		return text
	}
	for _, s := range secrets {
		for n := min(len(s)-1, len(text)); n > 0; n-- {
			if bytes.HasSuffix(text, []byte(s[:n])) {
				return append(text[:len(text)-n:len(text)-n], redacted...)
			}
		}
	}
	return text
}

// secretValues returns the non-empty string values of ev's secrets.
func secretValues(ev any) []string {
	obj, _ := ev.(map[string]any)
	secrets, _ := obj["secrets"].(map[string]any)
	var values []string
	for _, v := range secrets {
		if s, ok := v.(string); ok && s != "" {
			values = append(values, s)
		}
	}
	return values
}
