package diff

import (
	"context"
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/internal/abi"
	"github.com/floatme/auth0-wasm-actions/internal/event"
)

// TestConstantsOfTheCode: every constant of the module's packages that the
// entry imports, evaluated ("partner" + ".example"), its operands and
// literals included; nothing from the standard library.
func TestConstantsOfTheCode(t *testing.T) {
	got, err := constants(context.Background(), "testdata/constmod", "example.com/constmod", []string{"./main"})
	require.NoError(t, err)
	shown := map[string]bool{}
	for _, v := range got {
		shown[formatValue(v)] = true
	}
	for _, want := range []string{`"partner.example"`, `"partner"`, `"inline-literal"`, "8", "3.5", "false", `"X"`} {
		assert.True(t, shown[want], "constant %s not found in %v", want, shown)
	}
	for _, long := range []string{"a-long-domain-name-that-runs-past-what-a-report-shows.example", "a-long-domain-name-that-runs-past-what-a-report-shows.exampla"} {
		assert.Contains(t, got, abi.StringValue(long), "a long constant is kept whole, and apart from one that shares its start")
	}
	assert.Less(t, len(got), 20, "standard library constants taken: %v", shown)
}

func TestConstantsOfABrokenTreeFail(t *testing.T) {
	_, err := constants(context.Background(), "testdata/constmod", "example.com/constmod", []string{"./nosuch"})
	assert.Error(t, err)
}

func TestJSStrings(t *testing.T) {
	js := []byte(`const a = 'bypass.example'; const b = "x\"y"; const c = 'it\'s'; // 'unterminated` + "\n" +
		`const d = "` + string(make([]byte, 200)) + `"; const e = "bypass.example";`)
	got := jsStrings(js)
	assert.Equal(t, []abi.Value{abi.StringValue("bypass.example"), abi.StringValue(`x"y`), abi.StringValue("it's")}, got)
}

func TestConstantForms(t *testing.T) {
	got := constantForms([]abi.Value{abi.StringValue("Ex.io"), abi.NumberValue(2), abi.BoolValue(true)})
	var shown []string
	for _, v := range got {
		shown = append(shown, formatValue(v))
	}
	assert.Equal(t, []string{`"Ex.io"`, `"user@Ex.io"`, `"Ex.io@example.com"`, `"EX.IO"`, `"ex.io"`, `"user@EX.IO"`, `" Ex.io "`,
		"2", "3", "1", "2.5", "1.5", "0", "true", "false"}, shown)
}

// TestPlacementReachesEveryValueInEveryContext: when sampled, each value at
// each path is placed into a context of each group (each answer of the
// base) before anything random.
func TestPlacementReachesEveryValueInEveryContext(t *testing.T) {
	caseEvents := []any{map[string]any{"a": "ctx1", "b": 1.0}, map[string]any{"a": "ctx2", "b": 2.0}}
	g := newGrid([]string{"a", "b"}, caseEvents).with(CorpusConstants, []abi.Value{abi.StringValue("k1"), abi.StringValue("k2")})
	ctxs := [][][]int{{mustIndex(t, g, caseEvents[0])}, {mustIndex(t, g, caseEvents[1])}}
	limit := g.pairs()*2 + 3
	require.Greater(t, g.size(limit*10), limit, "the test needs a sampled grid")
	items, k := g.items(limit, ctxs)
	assert.Equal(t, 2, k)
	seen := map[string]int{}
	n := 0
	for it := range items {
		n++
		a, _ := event.Field(it.event, "a")
		b, _ := event.Field(it.event, "b")
		seen[formatValue(a)+" "+formatValue(b)]++
		var back any
		require.NoError(t, json.Unmarshal(it.raw, &back), "raw %s", it.raw)
	}
	assert.Equal(t, limit, n, "events")
	for _, want := range []string{`"k1" 1`, `"k1" 2`, `"k2" 1`, `"k2" 2`, `"ctx1" (missing)`, `"ctx2" (missing)`} {
		assert.Positive(t, seen[want], "no event %s in %v", want, seen)
	}
}

func mustIndex(t *testing.T, g grid, ev any) []int {
	idx, ok := g.indexOf(ev)
	require.True(t, ok)
	return idx
}

func TestCorpusOfTheRarestSource(t *testing.T) {
	g := newGrid([]string{"a", "b"}, []any{map[string]any{"a": "c"}}).
		with(CorpusKinds, []abi.Value{abi.KindValue(abi.Null)}).with(CorpusConstants, []abi.Value{abi.StringValue("k")})
	// a: missing, "c", null, "k"; b: missing, null, "k"
	for idx, want := range map[[2]int]string{
		{1, 0}: CorpusGenerated, {2, 0}: CorpusKinds, {3, 1}: CorpusConstants, {1, 2}: CorpusConstants,
	} {
		assert.Equal(t, want, g.corpusOf(idx[:]), "idx %v", idx)
	}
}

func TestAppendJSONReadsBackAsTheEvent(t *testing.T) {
	ev := map[string]any{"n": math.Inf(1), "m": math.Inf(-1), "s": "a\"\u2028", "o": map[string]any{"t": true, "z": nil}, "l": []any{1.5}}
	got, err := event.Parse(appendJSON(nil, ev))
	require.NoError(t, err)
	assert.Equal(t, ev, got)
}
