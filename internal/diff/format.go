package diff

import (
	"strconv"
	"strings"

	"github.com/floatme/auth0-wasm-actions/internal/abi"
	"github.com/floatme/auth0-wasm-actions/internal/contract"
	"github.com/floatme/auth0-wasm-actions/internal/event"
)

// maxShown is how many bytes of a string value an example shows.
const maxShown = 48

// formatValue shows v as JavaScript would write it; a long string is cut,
// with its length.
func formatValue(v abi.Value) string {
	switch v.Kind {
	case abi.String:
		if len(v.Str) > maxShown {
			return strconv.Quote(v.Str[:maxShown]) + "… (" + strconv.Itoa(len(v.Str)) + " bytes)"
		}
		return strconv.Quote(v.Str)
	case abi.Bool:
		return strconv.FormatBool(v.Bool)
	case abi.Number:
		return strconv.FormatFloat(v.Num, 'g', -1, 64)
	}
	return "(" + v.Kind.String() + ")"
}

// formatCall shows one api call: multifactor.enable("any").
func formatCall(c abi.Call) string {
	args := make([]string, len(c.Args))
	for i, a := range c.Args {
		args[i] = formatValue(a)
	}
	return c.Op + "(" + strings.Join(args, ", ") + ")"
}

// formatCalls shows calls, in order; "no calls" for none.
func formatCalls(calls []abi.Call) []string {
	out := make([]string, len(calls))
	for i, c := range calls {
		out[i] = formatCall(c)
	}
	return out
}

// formatSpec shows the call a contract allows: user.setUserMetadata("last_ip", string ≤64).
func formatSpec(s contract.CallSpec) string {
	args := make([]string, len(s.Args))
	for i, a := range s.Args {
		args[i] = formatArgSpec(a)
	}
	return s.Op + "(" + strings.Join(args, ", ") + ")"
}

func formatArgSpec(a contract.ArgSpec) string {
	if len(a.OneOf) > 0 {
		vals := make([]string, len(a.OneOf))
		for i, v := range a.OneOf {
			vals[i] = formatValue(v)
		}
		return strings.Join(vals, "|")
	}
	s := a.Kind.String()
	if a.MaxLen > 0 {
		s += " ≤" + strconv.Itoa(a.MaxLen) + " bytes"
	}
	return s
}

// maskedFields shows the value of each path in ev. A secret shows only
// whether it is set (contract.ShowSecret) and which other fields read hold
// the same string (a test tenant's id equal to tenant.id matters to a
// decision, its value does not); such a field shows that it equals the
// secret instead of its value, which would spell the secret out.
func maskedFields(ev any, paths []string) []Field {
	vals := make([]abi.Value, len(paths))
	out := make([]Field, len(paths))
	for i, p := range paths {
		var err error
		vals[i], err = event.Field(ev, p)
		out[i] = Field{Path: p, Value: formatValue(vals[i])}
		if err != nil {
			out[i].Value = event.IllFormedShown
		}
	}
	for i, p := range paths {
		if !strings.HasPrefix(p, contract.SecretsPrefix) {
			continue
		}
		out[i].Value = contract.ShowSecret(vals[i])
		for j, w := range vals {
			if strings.HasPrefix(paths[j], contract.SecretsPrefix) || vals[i].Kind != abi.String || !w.Equal(vals[i]) {
				continue
			}
			out[i].Value = strings.TrimSuffix(out[i].Value, ")") + ", equals " + paths[j] + ")"
			if vals[i].Str != "" {
				out[j].Value = "(equals " + p + ")"
			}
		}
	}
	return out
}
