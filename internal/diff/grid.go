package diff

import (
	"iter"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/floatme/auth0-wasm-actions/internal/abi"
	"github.com/floatme/auth0-wasm-actions/internal/event"
)

// cell is one value a read path takes in generated events, and its source:
// CorpusGenerated for a value of the cases, CorpusKinds, CorpusConstants.
type cell struct {
	v      abi.Value
	source string
}

// grid is the values each read path takes: absence, the cases' values, a
// value of every kind, and the code's constants in the forms a value at a
// path takes. Its events are combinations of them.
type grid struct {
	paths  []string
	values [][]cell
}

// newGrid collects, for each path, Missing then every distinct value it
// holds in caseEvents, in order of first appearance. A value no JSON event
// holds is left out, and so is an ill-formed string.
func newGrid(paths []string, caseEvents []any) grid {
	g := grid{paths: paths, values: make([][]cell, len(paths))}
	for i, p := range paths {
		g.add(i, abi.KindValue(abi.Missing), CorpusGenerated)
		for _, ev := range caseEvents {
			if v, err := event.Field(ev, p); err == nil {
				g.add(i, v, CorpusGenerated)
			}
		}
	}
	return g
}

// with adds vals, from source, at every path; each value once per path.
func (g grid) with(source string, vals []abi.Value) grid {
	for i := range g.paths {
		for _, v := range vals {
			g.add(i, v, source)
		}
	}
	return g
}

// add adds v at path i unless it is there already or no event holds it.
func (g grid) add(i int, v abi.Value, source string) {
	if v.Kind != abi.Other && !slices.ContainsFunc(g.values[i], func(c cell) bool { return c.v.Equal(v) }) {
		g.values[i] = append(g.values[i], cell{v, source})
	}
}

// kindValues are placed at every read path: one or more values of every
// kind a JSON field holds, and strings that read as other kinds.
var kindValues = []abi.Value{
	abi.KindValue(abi.Missing), abi.KindValue(abi.Null), abi.BoolValue(true), abi.BoolValue(false),
	abi.NumberValue(0), abi.NumberValue(1), abi.NumberValue(-1),
	abi.StringValue(""), abi.StringValue("word"), abi.StringValue("true"), abi.StringValue("1"),
	abi.KindValue(abi.Object), abi.KindValue(abi.Array),
}

// constantForms returns the values a constant takes at a read path: a
// string as itself, as an email's domain and its local part, in other
// letter cases and with white space around it; a number as itself, ±1,
// ±0.5 and 0; a boolean both ways.
func constantForms(consts []abi.Value) []abi.Value {
	var out []abi.Value
	for _, c := range consts {
		switch c.Kind {
		case abi.String:
			s := c.Str
			for _, f := range []string{s, "user@" + s, s + "@example.com", strings.ToUpper(s), strings.ToLower(s),
				"user@" + strings.ToUpper(s), " " + s + " "} {
				out = append(out, abi.StringValue(f))
			}
		case abi.Number:
			for _, d := range []float64{0, 1, -1, 0.5, -0.5} {
				out = append(out, abi.NumberValue(c.Num+d))
			}
			out = append(out, abi.NumberValue(0))
		case abi.Bool:
			out = append(out, abi.BoolValue(true), abi.BoolValue(false))
		}
	}
	return out
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

// total returns the number of combinations as a decimal string (it may not
// fit an int).
func (g grid) total() string {
	const limit = 1 << 62
	if n := g.size(limit); n <= limit {
		return strconv.Itoa(n)
	}
	return "more than 2^62"
}

// pairs returns how many (path, value) placements the grid has.
func (g grid) pairs() int {
	n := 0
	for _, vs := range g.values {
		n += len(vs)
	}
	return n
}

// indexOf returns the index vector of the event ev's values, and false
// when one of them is not in the grid.
func (g grid) indexOf(ev any) ([]int, bool) {
	idx := make([]int, len(g.paths))
	for p, path := range g.paths {
		v, err := event.Field(ev, path)
		if err != nil {
			return nil, false
		}
		if idx[p] = slices.IndexFunc(g.values[p], func(c cell) bool { return c.v.Equal(v) }); idx[p] < 0 {
			return nil, false
		}
	}
	return idx, true
}

// items yields every combination when there are at most limit. Otherwise
// it yields limit events: first each value at each path placed into k
// contexts, then combinations sampled with Seed. The contexts are the
// cases' index vectors grouped by the base's answer to them: a value's
// placements go into cases of consecutive groups, so k placements meet
// min(k, groups) different answers. It returns k (0: the
// grid was enumerated). Combinations no event can hold (a value below a
// path that holds a non-object) are left out.
func (g grid) items(limit int, groups [][][]int) (iter.Seq[item], int) {
	if g.size(limit) <= limit {
		return g.all(), 0
	}
	n := 0
	for _, gr := range groups {
		n += len(gr)
	}
	k := max(1, min(n, limit/g.pairs()))
	return func(yield func(item) bool) {
		rng := rand.New(rand.NewPCG(Seed, Seed))
		n := 0
		emit := func(idx []int) bool {
			ev, ok := g.event(idx)
			if !ok {
				return true
			}
			n++
			return yield(builtItem(g.corpusOf(idx), ev))
		}
		pair := 0
		for p, vs := range g.values {
			for j := range vs {
				for r := range k {
					if n >= limit {
						return
					}
					idx := g.context(groups, pair, r, rng)
					idx[p] = j
					if !emit(idx) {
						return
					}
				}
				pair++
			}
		}
		for n < limit {
			if !emit(g.context(nil, 0, 0, rng)) {
				return
			}
		}
	}, k
}

// context returns a copy of the context of a pair's r-th placement: a case
// of group (pair + r) mod len(groups), a different one for each pair; a
// random index vector when there are no groups. k consecutive placements
// meet min(k, len(groups)) groups.
func (g grid) context(groups [][][]int, pair, r int, rng *rand.Rand) []int {
	if len(groups) > 0 {
		gr := groups[(pair+r)%len(groups)]
		return slices.Clone(gr[(pair+r/len(groups))%len(gr)])
	}
	idx := make([]int, len(g.values))
	for p, vs := range g.values {
		idx[p] = rng.IntN(len(vs))
	}
	return idx
}

// all yields every combination in order.
func (g grid) all() iter.Seq[item] {
	return func(yield func(item) bool) {
		idx := make([]int, len(g.values))
		for i := range g.size(1 << 62) {
			unrank(i, g.values, idx)
			if ev, ok := g.event(idx); ok && !yield(builtItem(g.corpusOf(idx), ev)) {
				return
			}
		}
	}
}

// corpusOf returns the corpus of the event with the values at idx: that of
// its rarest source.
func (g grid) corpusOf(idx []int) string {
	corpus := CorpusGenerated
	for p, j := range idx {
		switch g.values[p][j].source {
		case CorpusConstants:
			return CorpusConstants
		case CorpusKinds:
			corpus = CorpusKinds
		}
	}
	return corpus
}

// unrank writes the mixed-radix digits of i, last path fastest, to idx.
func unrank(i int, values [][]cell, idx []int) {
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
		want[p] = g.values[p][idx[p]].v
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
