package diff

import (
	"context"
	"fmt"
	"iter"
	"slices"

	"github.com/floatme/auth0-wasm-actions/internal/contract"
)

// compareAction reports one action: added, removed, unchanged, or run on its
// corpus, with its contract's changes first.
func compareAction(ctx context.Context, name string, base, head *side, events []item, limit int, progress func(string, ...any)) (ActionReport, error) {
	ar := ActionReport{Action: name, Contract: []Change{}, Events: zeroCounts(), Transitions: []Transition{}}
	ba, inBase := base.action(name)
	ha, inHead := head.action(name)
	switch {
	case !inBase:
		ar.Status = StatusAdded
		ar.Contract = append(ar.Contract, Change{What: "action added: " + contractText(ha.Contract)})
		return ar, nil
	case !inHead:
		ar.Status = StatusRemoved
		ar.Contract = append(ar.Contract, removedChange(ba.Contract))
		return ar, nil
	}
	p := pair{base: ba.Contract, head: ha.Contract, baseWasm: base.modules[name], headWasm: head.modules[name]}
	ar.Contract = contractChanges(p.base, p.head)
	if p.unchanged() {
		ar.Status = StatusUnchanged
		return ar, nil
	}
	caseList, err := caseItems(head.cases[name], base.cases[name])
	if err != nil {
		return ActionReport{}, fmt.Errorf("%s: %w", name, err)
	}
	g := newGrid(p.reads(), eventsOf(caseList))
	ar.Generated = &GeneratedInfo{Paths: len(g.paths), Combination: g.total(), Sampled: g.size(limit) > limit}
	progress("running %s: %d cases, %d generated, %d events from -events", name, len(caseList), min(g.size(limit), limit), len(events))
	corpus := concat(slices.Values(caseList), g.items(limit), slices.Values(events))
	if ar.Transitions, err = p.compare(ctx, corpus, ar.Events); err != nil {
		return ActionReport{}, err
	}
	ar.Status = StatusSame
	if len(ar.Transitions) > 0 {
		ar.Status = StatusChanged
	}
	return ar, nil
}

// removedChange is the change of an action the working tree no longer has.
// It weakens the policy when the action's fallback makes calls: what they
// guarded is no longer done at all.
func removedChange(c contract.Contract) Change {
	ch := Change{What: "action removed (was " + contractText(c) + ")"}
	if len(c.Fallback) > 0 {
		ch.Weakens = true
		ch.What += ": nothing makes " + callList(c.Fallback) + " any more"
	}
	return ch
}

// contractText summarises a contract: trigger, reasons and fallback.
func contractText(c contract.Contract) string {
	reasons := make([]string, len(c.Outcomes))
	for i, o := range c.Outcomes {
		reasons[i] = o.Reason
	}
	return triggerName(c.Trigger) + ", reasons " + bracket(reasons) + ", fallback " + callList(c.Fallback)
}

// weakenings counts the action's transitions and contract changes that
// weaken the policy.
func (ar ActionReport) weakenings() int {
	n := 0
	for _, c := range ar.Contract {
		if c.Weakens {
			n++
		}
	}
	for _, t := range ar.Transitions {
		if t.Weakens {
			n++
		}
	}
	return n
}

func eventsOf(items []item) []any {
	evs := make([]any, len(items))
	for i, it := range items {
		evs[i] = it.event
	}
	return evs
}

// concat yields every item of each sequence in turn.
func concat(seqs ...iter.Seq[item]) iter.Seq[item] {
	return func(yield func(item) bool) {
		for _, seq := range seqs {
			for it := range seq {
				if !yield(it) {
					return
				}
			}
		}
	}
}
