package diff

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"

	"github.com/floatme/auth0-wasm-actions/internal/cases"
	"github.com/floatme/auth0-wasm-actions/internal/event"
)

// The corpora an event can come from; counts are kept per corpus. A
// generated event belongs to the corpus of the rarest source among its
// values: constants, then kinds, then the cases' values (generated).
const (
	CorpusCases     = "cases"     // the shared cases of either side
	CorpusGenerated = "generated" // combinations of the cases' values
	CorpusKinds     = "kinds"     // with a value of every kind at some path
	CorpusConstants = "constants" // with a constant of the code at some path
	CorpusEvents    = "events"    // -events
)

// Corpora lists the corpora in the order reports show them.
var Corpora = []string{CorpusCases, CorpusGenerated, CorpusKinds, CorpusConstants, CorpusEvents}

// DefaultCap is how many generated events an action gets at most; a larger
// cross product is sampled with Seed.
const DefaultCap = 300_000

// Seed seeds the sampling of a cross product larger than the cap, so that
// every run samples the same events.
const Seed = 11

// item is one event of a corpus: where it came from, a label for an
// example ("case name", "line 3"), the event as event.Parse gives it, and
// its JSON text on one line (what the bundles are given).
type item struct {
	corpus, label string
	event         any
	raw           []byte
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
			it, err := parsedItem(CorpusCases, strconv.Quote(c.Name)+" (testdata/"+c.File+group.note+")", c.Event)
			if err != nil {
				return nil, err
			}
			items = append(items, it)
		}
	}
	return items, nil
}

// parsedItem returns the item of one event's JSON text.
func parsedItem(corpus, label string, text []byte) (item, error) {
	ev, err := event.Parse(text)
	if err != nil {
		return item{}, err
	}
	raw, err := compactJSON(text)
	return item{corpus: corpus, label: label, event: ev, raw: raw}, err
}

// builtItem returns the item of an event made here.
func builtItem(corpus string, ev any) item {
	return item{corpus: corpus, event: ev, raw: appendJSON(nil, ev)}
}

// appendJSON appends the JSON text JSON.parse reads as v, a value made of
// maps, slices, strings, float64s, bools and nils: ±Inf as a number out of
// range (1e999), as event.Parse reads it.
func appendJSON(dst []byte, v any) []byte {
	switch x := v.(type) {
	case map[string]any:
		dst = append(dst, '{')
		first := true
		for k, e := range x {
			if !first {
				dst = append(dst, ',')
			}
			first = false
			dst = appendJSON(dst, k)
			dst = append(dst, ':')
			dst = appendJSON(dst, e)
		}
		return append(dst, '}')
	case []any:
		dst = append(dst, '[')
		for i, e := range x {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSON(dst, e)
		}
		return append(dst, ']')
	case string:
		b, _ := json.Marshal(x) // a string always encodes
		return append(dst, b...)
	case float64:
		switch {
		case math.IsInf(x, 1):
			return append(dst, "1e999"...)
		case math.IsInf(x, -1):
			return append(dst, "-1e999"...)
		}
		return strconv.AppendFloat(dst, x, 'g', -1, 64)
	case bool:
		return strconv.AppendBool(dst, x)
	}
	return append(dst, "null"...)
}

// compactJSON returns text on one line.
func compactJSON(text []byte) ([]byte, error) {
	var b bytes.Buffer
	err := json.Compact(&b, text)
	return b.Bytes(), err
}
