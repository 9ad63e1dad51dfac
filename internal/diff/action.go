package diff

import (
	"context"
	"fmt"
	"iter"
	"os"
	"slices"

	"github.com/floatme/auth0-wasm-actions/internal/abi"
	"github.com/floatme/auth0-wasm-actions/internal/contract"
)

// compareAction reports one action: added, removed, unchanged, or run on its
// corpus under Node, with its contract's changes first.
func compareAction(ctx context.Context, name string, base, head *side, env runEnv) (ActionReport, error) {
	ar := ActionReport{Action: name, Contract: []Change{}, Events: zeroCounts(), Transitions: []Transition{}}
	ba, inBase := base.action(name)
	ha, inHead := head.action(name)
	switch {
	case !inBase:
		ar.Status = StatusAdded
		ar.Contract = append(ar.Contract, Change{What: "action added: " + contractText(ha.Contract)})
		ar.Contract = append(ar.Contract, overwriteChanges(ha.Contract, nil, head.actions)...)
		return ar, nil
	case !inHead:
		ar.Status = StatusRemoved
		ar.Contract = append(ar.Contract, removedChange(ba.Contract))
		return ar, nil
	}
	p := pair{base: ba.Contract, head: ha.Contract}
	var err error
	if p.baseBundle, p.baseSHA, err = base.bundle(name); err != nil {
		return ActionReport{}, err
	}
	if p.headBundle, p.headSHA, err = head.bundle(name); err != nil {
		return ActionReport{}, err
	}
	ar.Contract = append(contractChanges(p.base, p.head), overwriteChanges(p.head, &p.base, head.actions)...)
	if p.unchanged() {
		ar.Status = StatusUnchanged
		return ar, nil
	}
	caseList, err := caseItems(head.cases[name], base.cases[name])
	if err != nil {
		return ActionReport{}, fmt.Errorf("%s: %w", name, err)
	}
	n := env.node(p)
	t := newTally(p, ar.Events)
	classes := map[string]string{} // case label → the base's answer
	err = n.run(ctx, slices.Values(caseList), func(it item, o outcome) {
		classes[it.label] = answerOf(o.base).key()
		t.add(it, o)
	})
	if err != nil {
		return ActionReport{}, fmt.Errorf("%s: %w", name, err)
	}
	consts, err := p.constants(base.constants, head.constants)
	if err != nil {
		return ActionReport{}, err
	}
	g := newGrid(p.paths(), eventsOf(caseList)).with(CorpusKinds, kindValues).with(CorpusConstants, constantForms(consts))
	groups := contexts(g, caseList, classes)
	gen, k := g.items(env.limit, groups)
	ar.Generated = &GeneratedInfo{Paths: len(g.paths), Values: g.pairs(), Combination: g.total(),
		Sampled: g.size(env.limit) > env.limit, Constants: len(consts), Groups: len(groups)}
	if ar.Generated.Sampled && g.pairs() <= env.limit {
		ar.Generated.Contexts = k
	}
	env.progress("running %s under %s: %d cases, %d generated, %d events from -events", name, env.nodeName, len(caseList), min(g.size(env.limit), env.limit), len(env.events))
	if err := n.run(ctx, concat(gen, slices.Values(env.events)), t.add); err != nil {
		return ActionReport{}, fmt.Errorf("%s: %w", name, err)
	}
	ar.Transitions = t.transitions()
	ar.Status = StatusSame
	if len(ar.Transitions) > 0 {
		ar.Status = StatusChanged
	}
	return ar, nil
}

// contexts returns the index vectors of the cases the grid holds, grouped
// by the base's answer to them, in order of first appearance.
func contexts(g grid, caseList []item, classes map[string]string) [][][]int {
	var order []string
	byClass := map[string][][]int{}
	for _, it := range caseList {
		idx, ok := g.indexOf(it.event)
		if !ok {
			continue
		}
		c := classes[it.label]
		if _, seen := byClass[c]; !seen {
			order = append(order, c)
		}
		byClass[c] = append(byClass[c], idx)
	}
	out := make([][][]int, len(order))
	for i, c := range order {
		out[i] = byClass[c]
	}
	return out
}

// constants returns the constants of both sides' Go code and the string
// literals of both bundles' JavaScript, each once.
func (p pair) constants(base, head []abi.Value) ([]abi.Value, error) {
	out := slices.Clone(head)
	add := func(vs []abi.Value) {
		for _, v := range vs {
			if !slices.ContainsFunc(out, v.Equal) {
				out = append(out, v)
			}
		}
	}
	add(base)
	for _, file := range []string{p.headBundle, p.baseBundle} {
		js, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		add(jsStrings(js))
	}
	return out, nil
}

// removedChange is the change of an action the working tree no longer has.
// It weakens the policy when the action made a guarded call: that call is
// no longer made at all.
func removedChange(c contract.Contract) Change {
	ch := Change{What: "action removed (was " + contractText(c) + ")"}
	if made := guardedCallsMade(c); len(made) > 0 {
		ch.Weakens = true
		ch.What += ": nothing makes " + bracket(made) + " any more"
	}
	return ch
}

// guardedCallsMade returns the ops of c's guards that one of its outcomes
// or its fallback calls.
func guardedCallsMade(c contract.Contract) []string {
	var ops []string
	for _, g := range c.Guards() {
		made := slices.ContainsFunc(c.Fallback, g.Matches)
		for _, o := range c.Outcomes {
			made = made || slices.ContainsFunc(o.Calls, func(s contract.CallSpec) bool { return s.Op == g.Op })
		}
		if made && !slices.Contains(ops, g.Op) {
			ops = append(ops, g.Op)
		}
	}
	return ops
}

// contractText summarises a contract: trigger, reasons, fallback, guards
// and the reads the end user controls.
func contractText(c contract.Contract) string {
	reasons := make([]string, len(c.Outcomes))
	for i, o := range c.Outcomes {
		reasons[i] = o.Reason
	}
	return triggerName(c.Trigger) + ", reasons " + bracket(reasons) + ", fallback " + callList(c.Fallback) +
		", guards " + guardList(c.Guards()) + ", user-controlled reads " + bracket(c.UserControlledReads())
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
