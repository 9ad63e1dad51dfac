package host

import (
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
)

// scrub returns text, a failure's detail, safe to show: every secret value
// of ev replaced, longest first, and folded onto one line; or withheld.
func scrub(text string, ev any) string {
	secrets := secretValues(ev)
	slices.SortFunc(secrets, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	for _, s := range secrets {
		if len(s) < minRedactedSecret {
			return withheld
		}
		text = strings.ReplaceAll(text, s, "[redacted]")
	}
	return strings.Join(strings.Fields(text), " ")
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
