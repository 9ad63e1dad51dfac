package diff

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/floatme/auth0-wasm-actions/internal/contract"
	"github.com/floatme/auth0-wasm-actions/internal/host"
)

// pair is one action on both sides, with its modules.
type pair struct {
	base, head         contract.Contract
	baseWasm, headWasm []byte
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

// guarded returns the ops of either side's fallback: a call of one of them
// that a change drops weakens the policy.
func (p pair) guarded() []string {
	return opsOf(slices.Concat(p.base.Fallback, p.head.Fallback))
}

// unchanged reports whether the modules are the same bytes and the
// contracts the same: nothing can answer differently.
func (p pair) unchanged() bool {
	return bytes.Equal(p.baseWasm, p.headWasm) && len(contractChanges(p.base, p.head)) == 0
}

// compare runs every event of corpus through both modules, with the host's
// contract check and fallback, and returns the transitions, weakening ones
// first, then the most frequent.
func (p pair) compare(ctx context.Context, corpus iter.Seq[item], counts map[string]int) (ts []Transition, err error) {
	baseMod, err := host.Load(ctx, p.baseWasm, p.base)
	if err != nil {
		return nil, fmt.Errorf("loading the base module of %s: %w", p.head.Action, err)
	}
	defer func() { err = errors.Join(err, baseMod.Close(ctx)) }()
	headMod, err := host.Load(ctx, p.headWasm, p.head)
	if err != nil {
		return nil, fmt.Errorf("loading the working tree's module of %s: %w", p.head.Action, err)
	}
	defer func() { err = errors.Join(err, headMod.Close(ctx)) }()
	byKey := map[string]*Transition{}
	reads, guarded := p.reads(), p.guarded()
	for it := range corpus {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		counts[it.corpus]++
		from, to := baseMod.Run(ctx, it.event), headMod.Run(ctx, it.event)
		fa, ta := answerOf(from), answerOf(to)
		if fa.key() == ta.key() {
			continue
		}
		key := fa.key() + "\x00" + ta.key()
		t, ok := byKey[key]
		if !ok {
			dropped := droppedCalls(from.Calls, to.Calls, guarded)
			t = &Transition{From: fa, To: ta, Counts: zeroCounts(), Weakens: len(dropped) > 0, Dropped: dropped,
				Example: Example{Corpus: it.corpus, Label: it.label, Fields: maskedFields(it.event, reads)}}
			byKey[key] = t
		}
		t.Counts[it.corpus]++
	}
	for _, t := range byKey {
		ts = append(ts, *t)
	}
	slices.SortFunc(ts, compareTransitions)
	return ts, nil
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

func answerOf(o host.Outcome) Answer {
	return Answer{Reason: o.Reason, Decision: o.Decision, Calls: formatCalls(o.Calls)}
}

// key identifies an answer: its reason and its exact calls.
func (a Answer) key() string { return a.Reason + " " + bracket(a.Calls) }
