package diff

import (
	"slices"

	"github.com/floatme/auth0-wasm-actions/internal/abi"
	"github.com/floatme/auth0-wasm-actions/internal/contract"
)

// metadataOps are the api calls that write a user's metadata: a value one
// action guards there (enable_mfa's auth_require_mfa) another action can
// overwrite, on any trigger, since metadata belongs to the user.
var metadataOps = []string{contract.OpSetAppMetadata, contract.OpSetUserMetadata}

// overwriteChanges returns a change for each metadata key that another of
// all's actions guards and that c may now write with another value, which
// was (c's action on the base side, nil when it is new) could not: a
// login or sign-up after it may lose the guarded value. It weakens the
// policy.
func overwriteChanges(c contract.Contract, was *contract.Contract, all []Action) []Change {
	var changes []Change
	for _, other := range all {
		o := other.Contract
		if o.Action == c.Action {
			continue
		}
		for _, g := range o.Guarded {
			if !slices.Contains(metadataOps, g.Op) || len(g.Args) == 0 {
				continue
			}
			if canOverwrite(c, g, o) && (was == nil || !canOverwrite(*was, g, o)) {
				changes = append(changes, Change{Weakens: true,
					What: "may write " + guardText(g) + " with another value, which " + o.Action + " guards: a login or sign-up after it can lose it"})
			}
		}
	}
	return changes
}

// canOverwrite reports whether one of c's outcomes may make a call of g's
// op with g's key and a value other than those guarder's own calls write.
func canOverwrite(c contract.Contract, g contract.Guard, guarder contract.Contract) bool {
	written := guardedValues(guarder, g)
	for _, o := range c.Outcomes {
		for _, s := range o.Calls {
			if s.Op != g.Op || len(s.Args) < 2 || !s.Args[0].Allows(g.Args[0]) {
				continue
			}
			if len(s.Args[1].OneOf) == 0 || slices.ContainsFunc(s.Args[1].OneOf, func(v abi.Value) bool {
				return !slices.ContainsFunc(written, v.Equal)
			}) {
				return true
			}
		}
	}
	return false
}

// guardedValues returns the values c's own outcomes write with g's key.
func guardedValues(c contract.Contract, g contract.Guard) []abi.Value {
	var vals []abi.Value
	for _, o := range c.Outcomes {
		for _, s := range o.Calls {
			if s.Op == g.Op && len(s.Args) >= 2 && s.Args[0].Allows(g.Args[0]) {
				vals = append(vals, s.Args[1].OneOf...)
			}
		}
	}
	return vals
}
