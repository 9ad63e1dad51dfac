package host

import (
	"bytes"
	"cmp"
	"slices"
	"strings"
	"unicode"

	"github.com/floatme/auth0-wasm-actions/internal/event"
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
// wrote, safe to show, as the shim's scrub does: every white-space
// separated piece of every secret value of ev replaced, longest first
// (a secret is found however the text spaces its pieces, and taking the
// first line cannot split a piece), and a piece cut short where the output
// capture ended replaced too; then folded onto one line. With a piece too
// short to redact, everything is withheld.
func scrub(detail string, out guestOutput, ev any) string {
	pieces := piecesOf(secretValues(ev))
	if slices.ContainsFunc(pieces, func(s string) bool { return len(s) < minRedactedSecret }) {
		return withheld
	}
	for _, s := range pieces {
		detail = strings.ReplaceAll(detail, s, redacted)
	}
	if line := firstLine(redactOutput(out, pieces)); line != "" {
		detail += ": " + line
	}
	return strings.Join(strings.FieldsFunc(detail, isSpace), " ")
}

// isSpace is white space as both hosts split and fold it: Go's
// unicode.IsSpace and JavaScript's \s (which adds U+FEFF) together.
func isSpace(r rune) bool { return unicode.IsSpace(r) || r == '\ufeff' }

// piecesOf returns the distinct white-space separated pieces of values,
// longest first.
func piecesOf(values []string) []string {
	var pieces []string
	for _, v := range values {
		pieces = append(pieces, strings.FieldsFunc(v, isSpace)...)
	}
	slices.SortFunc(pieces, func(a, b string) int { return cmp.Or(cmp.Compare(len(b), len(a)), strings.Compare(a, b)) })
	return slices.Compact(pieces)
}

// redactOutput returns out's text with every piece replaced and, when the
// capture was cut, a tail that is the start of a piece replaced too.
func redactOutput(out guestOutput, pieces []string) []byte {
	text := out.text
	for _, s := range pieces {
		text = bytes.ReplaceAll(text, []byte(s), []byte(redacted))
	}
	if !out.cut {
		return text
	}
	for _, s := range pieces {
		for n := min(len(s)-1, len(text)); n > 0; n-- {
			if bytes.HasSuffix(text, []byte(s[:n])) {
				return append(text[:len(text)-n:len(text)-n], redacted...)
			}
		}
	}
	return text
}

// secretValues returns the non-empty string values of ev's secrets: every
// one, since the guest gets those it reads and an error may hold any; an
// IllFormed one by its U+FFFD form, as the shim redacts it too.
func secretValues(ev any) []string {
	obj, _ := ev.(map[string]any)
	secrets, _ := obj["secrets"].(map[string]any)
	var values []string
	for _, v := range secrets {
		s, ok := v.(string)
		if ill, isIll := v.(event.IllFormed); isIll {
			s, ok = string(ill), true
		}
		if ok && s != "" {
			values = append(values, s)
		}
	}
	return values
}
