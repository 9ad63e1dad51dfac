package host_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/actions"
	"github.com/floatme/auth0-wasm-actions/internal/cases"
	"github.com/floatme/auth0-wasm-actions/internal/event"
	. "github.com/floatme/auth0-wasm-actions/internal/host"
)

// adversarial makes the events of the bounded-memory stream of one action
// (TestBoundedMemory): at every path its contract reads, a value chosen
// from shapes an attacker controls, each distinct from every earlier one
// where it can be (strings, zones, IPs, object keys), and the values the
// shared cases hold there, so that the decisions vary.
type adversarial struct {
	reads []string
	known [][]any // per read, the JSON values the shared cases hold there (nil: missing)
}

// newAdversarial returns the stream of action a, its known values read
// from a's shared cases.
func newAdversarial(t *testing.T, a actions.Action) adversarial {
	t.Helper()
	cs, err := cases.Load(a.Contract.Action)
	require.NoError(t, err)
	g := adversarial{reads: a.Contract.Reads, known: make([][]any, len(a.Contract.Reads))}
	for _, c := range cs {
		ev, err := event.Parse(c.Event)
		require.NoError(t, err)
		for p, path := range g.reads {
			g.known[p] = append(g.known[p], at(ev, path))
		}
	}
	return g
}

// at returns the value at path in ev, nil when there is none.
func at(ev any, path string) any {
	for step := range strings.SplitSeq(path, ".") {
		obj, ok := ev.(map[string]any)
		if !ok {
			return nil
		}
		ev = obj[step]
	}
	return ev
}

// event returns the i-th event of the stream.
func (g adversarial) event(i int) map[string]any {
	ev := map[string]any{}
	for p, path := range g.reads {
		h := mix(uint64(i)*uint64(len(g.reads)+1) + uint64(p))
		if v, ok := g.value(i, p, h); ok {
			put(ev, path, v, i, h)
		}
	}
	return ev
}

// shapes is how many kinds of value value makes.
const shapes = 13

// value returns the value the i-th event holds at read p, h a hash of both;
// false when the field is left missing.
func (g adversarial) value(i, p int, h uint64) (any, bool) {
	known := g.known[p]
	switch h % shapes {
	case 0:
		return nil, false
	case 1, 2: // what a shared case holds
		v := known[(h/shapes)%uint64(len(known))]
		return v, v != nil
	case 3:
		return "v-" + strconv.Itoa(i), true
	case 4: // long, up to 2 KiB
		return strings.Repeat("x", int(256+h/shapes%1792)) + strconv.Itoa(i), true
	case 5: // an IPv6 address with a new zone, short enough to be parsed
		return fmt.Sprintf("fe80::%x%%zone-%s-%d", i&0xffff, strings.Repeat("z", int(h/shapes%32)), i), true
	case 6: // a new valid IP
		if h&(1<<20) == 0 {
			return fmt.Sprintf("10.%d.%d.%d", i>>16&0xff, i>>8&0xff, i&0xff), true
		}
		return fmt.Sprintf("2001:DB8::%X:%x", i>>16, i&0xffff), true
	case 7: // a known string, upper-cased, spaced and made new
		s, _ := known[(h/shapes)%uint64(len(known))].(string)
		return fmt.Sprintf(" U%d%s\u00a0", i, strings.ToUpper(s)), true
	case 8:
		return []float64{0, 1, 1.5, 2, -1, 1e308, float64(i)}[h/shapes%7], true
	case 9:
		return h&(1<<20) != 0, true
	case 10:
		return nil, true
	case 11:
		return deep(int(8+h/shapes%56), i), true
	}
	return wide(int(8+h/shapes%56), i), true
}

// put sets path in ev to v, making the objects on the way; one event in
// sixteen gets a wide object of new keys at each step.
func put(ev map[string]any, path string, v any, i int, h uint64) {
	steps := strings.Split(path, ".")
	cur := ev
	for _, step := range steps[:len(steps)-1] {
		next, ok := cur[step].(map[string]any)
		if !ok {
			next = map[string]any{}
			if h>>40%16 == 0 {
				next = wide(32, i)
			}
			cur[step] = next
		}
		cur = next
	}
	cur[steps[len(steps)-1]] = v
}

// deep returns objects nested depth levels, a new string at the bottom.
func deep(depth, i int) map[string]any {
	obj := map[string]any{"leaf": "deep-" + strconv.Itoa(i)}
	for range depth {
		obj = map[string]any{"d": obj}
	}
	return obj
}

// wide returns an object of n new keys.
func wide(n, i int) map[string]any {
	obj := make(map[string]any, n)
	for k := range n {
		obj["k"+strconv.Itoa(i)+"-"+strconv.Itoa(k)] = k
	}
	return obj
}

// mix is SplitMix64's finalizer: a hash that spreads nearby inputs.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// native returns what the native decision of a makes of ev, as a host
// would log and apply it: the reason and the calls (the fallback's when ev
// cannot be sent or the result breaks the contract).
func native(a actions.Action, ev any) (string, string) {
	fields, err := event.Fields(ev, a.Contract.Reads)
	if err != nil {
		return ReasonBadEvent, callsJSON(a.Contract.Fallback)
	}
	res := a.Decide(fields)
	if _, err := a.Contract.Check(res); err != nil {
		return ReasonForbidden, callsJSON(a.Contract.Fallback)
	}
	return res.Reason, callsJSON(res.Calls)
}
