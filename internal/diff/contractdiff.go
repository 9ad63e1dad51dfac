package diff

import (
	"slices"
	"strings"

	"github.com/floatme/auth0-wasm-actions/internal/abi"
	"github.com/floatme/auth0-wasm-actions/internal/contract"
)

// contractChanges lists how head's contract differs from base's: trigger,
// reads, reasons added, removed or changed, and the fallback. A fallback
// that drops a call the base's made weakens the policy: a failing module
// would then do less than it did.
func contractChanges(base, head contract.Contract) []Change {
	changes := []Change{}
	if base.Trigger != head.Trigger {
		changes = append(changes, Change{What: "trigger " + triggerName(base.Trigger) + " → " + triggerName(head.Trigger)})
	}
	changes = append(changes, readChanges(base.Reads, head.Reads)...)
	changes = append(changes, outcomeChanges(base.Outcomes, head.Outcomes)...)
	if !slices.EqualFunc(base.Fallback, head.Fallback, callEqual) {
		dropped := droppedCalls(base.Fallback, head.Fallback, opsOf(base.Fallback))
		c := Change{What: "fallback " + callList(base.Fallback) + " → " + callList(head.Fallback)}
		if len(dropped) > 0 {
			c.What += ": a failing module no longer makes " + strings.Join(dropped, ", ")
			c.Weakens = true
		}
		changes = append(changes, c)
	}
	return changes
}

func triggerName(t contract.Trigger) string { return t.ID + " " + t.Version }

func readChanges(base, head []string) []Change {
	var changes []Change
	for _, p := range head {
		if !slices.Contains(base, p) {
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

// opsOf returns the ops of calls: the ops a fallback guards.
func opsOf(calls []abi.Call) []string {
	var ops []string
	for _, c := range calls {
		if !slices.Contains(ops, c.Op) {
			ops = append(ops, c.Op)
		}
	}
	return ops
}

// droppedCalls returns the calls of from whose op is guarded that to does
// not make as many times, each shown once per missing call.
func droppedCalls(from, to []abi.Call, guarded []string) []string {
	left := slices.Clone(to)
	var dropped []string
	for _, c := range from {
		if !slices.Contains(guarded, c.Op) {
			continue
		}
		if i := slices.IndexFunc(left, func(d abi.Call) bool { return callEqual(c, d) }); i >= 0 {
			left = slices.Delete(left, i, i+1)
			continue
		}
		dropped = append(dropped, formatCall(c))
	}
	return dropped
}
