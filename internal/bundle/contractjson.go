package bundle

import (
	"errors"

	"github.com/floatme/auth0-wasm-actions/internal/abi"
	"github.com/floatme/auth0-wasm-actions/internal/contract"
)

// contractJSON is a contract as shim.js reads it (CONTRACT).
type contractJSON struct {
	Action   string                 `json:"action"`
	Trigger  contract.Trigger       `json:"trigger"`
	Reads    []string               `json:"reads"`
	Outcomes map[string]outcomeJSON `json:"outcomes"`
	Fallback []callJSON             `json:"fallback"`
}

type outcomeJSON struct {
	Decision string         `json:"decision"`
	Calls    []callSpecJSON `json:"calls"`
}

type callSpecJSON struct {
	Op   string        `json:"op"`
	Args []argSpecJSON `json:"args"`
}

type argSpecJSON struct {
	Kind   string `json:"kind"`
	OneOf  []any  `json:"oneOf,omitempty"`
	MaxLen int    `json:"maxLen,omitempty"`
}

type callJSON struct {
	Op   string `json:"op"`
	Args []any  `json:"args"`
}

func toContractJSON(c contract.Contract) (contractJSON, error) {
	out := contractJSON{
		Action: c.Action, Trigger: c.Trigger, Reads: nonNil(c.Reads),
		Outcomes: map[string]outcomeJSON{}, Fallback: []callJSON{},
	}
	for _, o := range c.Outcomes {
		oj := outcomeJSON{Decision: o.Decision, Calls: []callSpecJSON{}}
		for _, s := range o.Calls {
			js := callSpecJSON{Op: s.Op, Args: []argSpecJSON{}}
			for _, a := range s.Args {
				oneOf, err := jsonValues(a.OneOf)
				if err != nil {
					return contractJSON{}, err
				}
				js.Args = append(js.Args, argSpecJSON{Kind: a.Kind.String(), OneOf: oneOf, MaxLen: a.MaxLen})
			}
			oj.Calls = append(oj.Calls, js)
		}
		out.Outcomes[o.Reason] = oj
	}
	for _, call := range c.Fallback {
		args, err := jsonValues(call.Args)
		if err != nil {
			return contractJSON{}, err
		}
		out.Fallback = append(out.Fallback, callJSON{Op: call.Op, Args: nonNil(args)})
	}
	return out, nil
}

// guardRefs returns guards as the manifest shows them.
func guardRefs(guards []contract.Guard) ([]GuardRef, error) {
	out := []GuardRef{}
	for _, g := range guards {
		args, err := jsonValues(g.Args)
		if err != nil {
			return nil, err
		}
		out = append(out, GuardRef{Op: g.Op, Args: nonNil(args)})
	}
	return out, nil
}

// jsonValues converts values to their JSON form; only payload kinds and null
// have one.
func jsonValues(vals []abi.Value) ([]any, error) {
	var out []any
	for _, v := range vals {
		switch v.Kind {
		case abi.String:
			out = append(out, v.Str)
		case abi.Bool:
			out = append(out, v.Bool)
		case abi.Number:
			out = append(out, v.Num)
		case abi.Null:
			out = append(out, nil)
		default:
			return nil, errors.New("bundle: a contract value of kind " + v.Kind.String() + " has no JSON form")
		}
	}
	return out, nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
