package diff

import (
	"iter"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/floatme/auth0-wasm-actions/internal/abi"
	"github.com/floatme/auth0-wasm-actions/internal/cases"
	"github.com/floatme/auth0-wasm-actions/internal/event"
)

// The corpora an event can come from; counts are kept per corpus.
const (
	CorpusCases     = "cases"
	CorpusGenerated = "generated"
	CorpusEvents    = "events"
)

// Corpora lists the corpora in the order reports show them.
var Corpora = []string{CorpusCases, CorpusGenerated, CorpusEvents}

// DefaultCap is how many generated events an action gets at most; a larger
// cross product is sampled with Seed.
const DefaultCap = 200_000

// Seed seeds the sampling of a cross product larger than the cap, so that
// every run samples the same events.
const Seed = 11

// item is one event of a corpus: where it came from, a label for an
// example ("case name", "line 3"), and the event as event.Parse gives it.
type item struct {
	corpus, label string
	event         any
}

// caseItems returns the shared cases of both sides as items: every case of
// head, then base's cases whose name head does not have.
func caseItems(head, base []cases.Case) ([]item, error) {
	var items []item
	seen := map[string]bool{}
	for _, group := range []struct {
		cs   []cases.Case
		note string
	}{{head, ""}, {base, ", base only"}} {
		for _, c := range group.cs {
			if seen[c.Name] {
				continue
			}
			seen[c.Name] = true
			ev, err := event.Parse(c.Event)
			if err != nil {
				return nil, err
			}
			items = append(items, item{CorpusCases, strconv.Quote(c.Name) + " (testdata/" + c.File + group.note + ")", ev})
		}
	}
	return items, nil
}

// grid is the cross product of the distinct values each read path takes in
// a set of events, absence included.
type grid struct {
	paths  []string
	values [][]abi.Value
}

// newGrid collects, for each path, Missing then every other distinct value
// it holds in events, in order of first appearance. A value of kind Other
// (no JSON event holds one) is left out.
func newGrid(paths []string, events []any) grid {
	g := grid{paths: paths, values: make([][]abi.Value, len(paths))}
	for i := range paths {
		g.values[i] = []abi.Value{abi.KindValue(abi.Missing)}
	}
	for _, ev := range events {
		for i, p := range paths {
			v, err := event.Field(ev, p) // an ill-formed string is no value to generate from
			if err == nil && v.Kind != abi.Other && !slices.ContainsFunc(g.values[i], v.Equal) {
				g.values[i] = append(g.values[i], v)
			}
		}
	}
	return g
}

// size returns the number of combinations, or limit+1 when there are more
// than limit.
func (g grid) size(limit int) int {
	n := 1
	for _, vs := range g.values {
		if n > (limit+1)/len(vs) {
			return limit + 1
		}
		n *= len(vs)
	}
	return min(n, limit+1)
}

// Total returns the number of combinations as a decimal string (it may not
// fit an int).
func (g grid) total() string {
	const limit = 1 << 62
	if n := g.size(limit); n <= limit {
		return strconv.Itoa(n)
	}
	return "more than " + strconv.Itoa(limit)
}

// items yields every combination in order when there are at most limit,
// otherwise limit combinations sampled with Seed; each as an event holding
// just those values at its paths. Combinations no event can hold (a value
// below a path that holds a non-object) are left out.
func (g grid) items(limit int) iter.Seq[item] {
	return func(yield func(item) bool) {
		n := g.size(limit)
		sampled := n > limit
		rng := rand.New(rand.NewPCG(Seed, Seed))
		idx := make([]int, len(g.values))
		for i := range min(n, limit) {
			if sampled {
				for p, vs := range g.values {
					idx[p] = rng.IntN(len(vs))
				}
			} else {
				unrank(i, g.values, idx)
			}
			ev, ok := g.event(idx)
			if ok && !yield(item{corpus: CorpusGenerated, event: ev}) {
				return
			}
		}
	}
}

// unrank writes the mixed-radix digits of i, last path fastest, to idx.
func unrank(i int, values [][]abi.Value, idx []int) {
	for p := len(values) - 1; p >= 0; p-- {
		idx[p] = i % len(values[p])
		i /= len(values[p])
	}
}

// event builds the event holding values[p][idx[p]] at each path, and false
// when no event can.
func (g grid) event(idx []int) (any, bool) {
	ev := map[string]any{}
	order := make([]int, len(g.paths))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return strings.Count(g.paths[a], ".") - strings.Count(g.paths[b], ".")
	})
	want := make([]abi.Value, len(g.paths))
	for _, p := range order {
		want[p] = g.values[p][idx[p]]
		if want[p].Kind != abi.Missing && !set(ev, g.paths[p], jsonOf(want[p])) {
			return nil, false
		}
	}
	got, err := event.Fields(ev, g.paths)
	return ev, err == nil && slices.EqualFunc(got, want, abi.Value.Equal)
}

// set puts v at the dotted path in ev, making the objects on the way; false
// when a step holds something other than an object. An object already at
// the path is kept when v is an object.
func set(ev map[string]any, path string, v any) bool {
	steps := strings.Split(path, ".")
	cur := ev
	for _, step := range steps[:len(steps)-1] {
		next, ok := cur[step]
		if !ok {
			next = map[string]any{}
			cur[step] = next
		}
		if cur, ok = next.(map[string]any); !ok {
			return false
		}
	}
	last := steps[len(steps)-1]
	if _, isObj := v.(map[string]any); isObj {
		if _, had := cur[last].(map[string]any); had {
			return true
		}
	}
	cur[last] = v
	return true
}

// jsonOf returns the JSON value, as event.Parse gives it, that reads as v.
func jsonOf(v abi.Value) any {
	switch v.Kind {
	case abi.Bool:
		return v.Bool
	case abi.Number:
		return v.Num
	case abi.String:
		return v.Str
	case abi.Object:
		return map[string]any{}
	case abi.Array:
		return []any{}
	}
	return nil
}
