package diff

import (
	"slices"
	"strings"

	"github.com/floatme/auth0-wasm-actions/internal/abi"
	"github.com/floatme/auth0-wasm-actions/internal/contract"
)

// contractChanges lists how head's contract differs from base's: new reads
// of fields the end user sets first (a risk for the reviewer), then
// trigger, other reads, reasons added, removed or changed, the fallback and
// the guards. A fallback that drops a guarded call weakens the policy (a
// failing module would then do less than it did), and so does a guard
// removed.
func contractChanges(base, head contract.Contract) []Change {
	changes := []Change{}
	if base.Trigger != head.Trigger {
		changes = append(changes, Change{What: "trigger " + triggerName(base.Trigger) + " → " + triggerName(head.Trigger)})
	}
	changes = append(changes, readChanges(base.Reads, head.Reads)...)
	changes = append(changes, outcomeChanges(base.Outcomes, head.Outcomes)...)
	changes = append(changes, guardChanges(base.Guards(), head.Guards())...)
	if !slices.EqualFunc(base.Fallback, head.Fallback, callEqual) {
		dropped := droppedCalls(base.Fallback, head.Fallback, pair{base: base, head: head}.guards())
		c := Change{What: "fallback " + callList(base.Fallback) + " → " + callList(head.Fallback)}
		if len(dropped) > 0 {
			c.What += ": a failing module no longer makes " + strings.Join(dropped, ", ")
			c.Weakens = true
		}
		changes = append(changes, c)
	}
	slices.SortStableFunc(changes, func(a, b Change) int {
		if a.Risk == b.Risk {
			return 0
		}
		if a.Risk {
			return -1
		}
		return 1
	})
	return changes
}

// guardChanges lists the guards head adds and those it removes; a removed
// one weakens the policy: a change could then drop its calls unnoticed.
func guardChanges(base, head []contract.Guard) []Change {
	var changes []Change
	for _, g := range head {
		if !slices.ContainsFunc(base, g.Equal) {
			changes = append(changes, Change{What: "guards " + guardText(g) + " (new)"})
		}
	}
	for _, g := range base {
		if !slices.ContainsFunc(head, g.Equal) {
			changes = append(changes, Change{What: "no longer guards " + guardText(g) + ": dropping its calls would go unnoticed", Weakens: true})
		}
	}
	return changes
}

// guardText shows a guard: multifactor.enable, user.setAppMetadata("auth_require_mfa", …).
func guardText(g contract.Guard) string {
	if len(g.Args) == 0 {
		return g.Op
	}
	return strings.TrimSuffix(formatCall(abi.Call{Op: g.Op, Args: g.Args}), ")") + ", …)"
}

// guardList shows guards in brackets.
func guardList(gs []contract.Guard) string {
	parts := make([]string, len(gs))
	for i, g := range gs {
		parts[i] = guardText(g)
	}
	return bracket(parts)
}

func triggerName(t contract.Trigger) string { return t.ID + " " + t.Version }

func readChanges(base, head []string) []Change {
	var changes []Change
	for _, p := range head {
		switch {
		case slices.Contains(base, p):
		case contract.UserControlled(p):
			changes = append(changes, Change{What: "reads " + p + " (new; the end user sets this field: check what they can make the action do with it)", Risk: true})
		default:
			changes = append(changes, Change{What: "reads " + p + " (new)"})
		}
	}
	for _, p := range base {
		if !slices.Contains(head, p) {
			changes = append(changes, Change{What: "no longer reads " + p})
		}
	}
	if len(changes) == 0 && !slices.Equal(base, head) {
		changes = append(changes, Change{What: "reads the same paths in another order: " + strings.Join(head, ", ")})
	}
	return changes
}

func outcomeChanges(base, head []contract.Outcome) []Change {
	var changes []Change
	for _, h := range head {
		i := slices.IndexFunc(base, func(o contract.Outcome) bool { return o.Reason == h.Reason })
		switch {
		case i < 0:
			changes = append(changes, Change{What: "reason " + h.Reason + " added: " + outcomeText(h)})
		case !outcomeEqual(base[i], h):
			changes = append(changes, Change{What: "reason " + h.Reason + " changed: " + outcomeText(base[i]) + " → " + outcomeText(h)})
		}
	}
	for _, b := range base {
		if !slices.ContainsFunc(head, func(o contract.Outcome) bool { return o.Reason == b.Reason }) {
			changes = append(changes, Change{What: "reason " + b.Reason + " removed (was " + outcomeText(b) + ")"})
		}
	}
	return changes
}

// outcomeText shows an outcome's decision and calls: challenge,
// multifactor.enable("any").
func outcomeText(o contract.Outcome) string {
	specs := make([]string, len(o.Calls))
	for i, s := range o.Calls {
		specs[i] = formatSpec(s)
	}
	return o.Decision + " " + bracket(specs)
}

func outcomeEqual(a, b contract.Outcome) bool { return outcomeText(a) == outcomeText(b) }

func callEqual(a, b abi.Call) bool {
	return a.Op == b.Op && slices.EqualFunc(a.Args, b.Args, abi.Value.Equal)
}

// callList shows calls in brackets: [multifactor.enable("any")], [] for none.
func callList(calls []abi.Call) string { return bracket(formatCalls(calls)) }

func bracket(items []string) string { return "[" + strings.Join(items, ", ") + "]" }
