package diff

import (
	"cmp"
	"slices"
	"strings"

	"github.com/floatme/auth0-wasm-actions/internal/abi"
	"github.com/floatme/auth0-wasm-actions/internal/auth0api"
	"github.com/floatme/auth0-wasm-actions/internal/contract"
	"github.com/floatme/auth0-wasm-actions/internal/event"
)

// pair is one action on both sides, with its bundles.
type pair struct {
	base, head             contract.Contract
	baseBundle, headBundle string // paths
	baseSHA, headSHA       string
}

// reads returns the paths either contract reads: head's, then base's others.
func (p pair) reads() []string {
	paths := slices.Clone(p.head.Reads)
	for _, r := range p.base.Reads {
		if !slices.Contains(paths, r) {
			paths = append(paths, r)
		}
	}
	return paths
}

// paths returns the paths the corpus sets: reads, then the common event
// fields of both triggers (internal/auth0api) that are neither a read nor
// above or below one (an object at a path would leave no room for a value
// below it).
func (p pair) paths() []string {
	paths := p.reads()
	for _, tr := range []string{p.head.Trigger.ID, p.base.Trigger.ID} {
		for _, e := range auth0api.Triggers[tr].Event {
			if !slices.ContainsFunc(paths, func(q string) bool { return related(e, q) }) {
				paths = append(paths, e)
			}
		}
	}
	return paths
}

// related reports whether the paths a and b are the same or one is below
// the other.
func related(a, b string) bool {
	return a == b || strings.HasPrefix(a, b+".") || strings.HasPrefix(b, a+".")
}

// guards returns the guards of either side: a call one of them matches
// that a change drops weakens the policy.
func (p pair) guards() []contract.Guard {
	gs := p.head.Guards()
	for _, g := range p.base.Guards() {
		if !slices.ContainsFunc(gs, g.Equal) {
			gs = append(gs, g)
		}
	}
	return gs
}

// unchanged reports whether the bundles are the same bytes: Auth0 would run
// the same code, so nothing can answer differently.
func (p pair) unchanged() bool { return p.baseSHA == p.headSHA }

// tally collects the transitions of one action's corpus.
type tally struct {
	reads  []string
	paths  []string // reads, then the other paths the corpus sets
	guards []contract.Guard
	counts map[string]int
	byKey  map[string]*Transition
}

func newTally(p pair, counts map[string]int) *tally {
	return &tally{reads: p.reads(), paths: p.paths(), guards: p.guards(), counts: counts, byKey: map[string]*Transition{}}
}

// add counts one event and, when its answers differ, its transition.
func (t *tally) add(it item, o outcome) {
	t.counts[it.corpus]++
	if o.same {
		return
	}
	fa, ta := answerOf(o.base), answerOf(o.head)
	key := fa.key() + "\x00" + ta.key()
	tr, ok := t.byKey[key]
	if !ok {
		dropped := droppedCalls(o.base.calls(), o.head.calls(), t.guards)
		tr = &Transition{From: fa, To: ta, Counts: zeroCounts(), Weakens: len(dropped) > 0, Dropped: dropped,
			Example: Example{Corpus: it.corpus, Label: it.label, Fields: t.exampleFields(it.event)}}
		t.byKey[key] = tr
	}
	tr.Counts[it.corpus]++
}

// exampleFields shows the fields the contracts read in ev, then the other
// paths the corpus sets that hold a value in ev.
func (t *tally) exampleFields(ev any) []Field {
	shown := slices.Clone(t.reads)
	for _, p := range t.paths[len(t.reads):] {
		if v, err := event.Field(ev, p); err != nil || v.Kind != abi.Missing {
			shown = append(shown, p)
		}
	}
	return maskedFields(ev, shown)
}

// transitions returns the transitions, weakening ones first, then the most
// frequent.
func (t *tally) transitions() []Transition {
	ts := []Transition{}
	for _, tr := range t.byKey {
		ts = append(ts, *tr)
	}
	slices.SortFunc(ts, compareTransitions)
	return ts
}

func compareTransitions(a, b Transition) int {
	if a.Weakens != b.Weakens {
		if a.Weakens {
			return -1
		}
		return 1
	}
	return cmp.Or(b.Total()-a.Total(), strings.Compare(a.From.key(), b.From.key()), strings.Compare(a.To.key(), b.To.key()))
}

func zeroCounts() map[string]int {
	m := map[string]int{}
	for _, c := range Corpora {
		m[c] = 0
	}
	return m
}

func answerOf(a jsAnswer) Answer {
	return Answer{Reason: a.Reason, Decision: a.Decision, Calls: formatCalls(a.calls()), Error: a.Error}
}

// key identifies an answer: its reason, its exact calls and what the
// handler threw.
func (a Answer) key() string { return a.Reason + " " + bracket(a.Calls) + " " + a.Error }

// droppedCalls returns the calls of from that a guard matches and that to
// does not make as many times, each shown once per missing call.
func droppedCalls(from, to []abi.Call, guards []contract.Guard) []string {
	left := slices.Clone(to)
	var dropped []string
	for _, c := range from {
		if !slices.ContainsFunc(guards, func(g contract.Guard) bool { return g.Matches(c) }) {
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
