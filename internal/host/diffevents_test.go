package host_test

import (
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/floatme/auth0-wasm-actions/actions"
	"github.com/floatme/auth0-wasm-actions/internal/abi"
)

// eventsPerAction is how many generated event files each action gets per
// build; each goes through this host and, twice, through the shim.
const eventsPerAction = 400

// TestDifferentialEvents: actions run gives the shim's answer for every
// event file it does not refuse (generated files: the fields the actions
// read, present or not, holding values close to the ones the decisions turn
// on, lone surrogate escapes, invalid UTF-8, deep nesting, numbers beyond
// float64, repeated and __proto__ keys, parents that are no objects), and
// the files it refuses are the ones that are not one JSON value in valid
// UTF-8.
func TestDifferentialEvents(t *testing.T) {
	eachBuild(t, func(t *testing.T, b *build) {
		for _, a := range actions.All {
			t.Run(a.Contract.Action, func(t *testing.T) {
				r := rand.New(rand.NewPCG(2, uint64(len(a.Contract.Action))))
				files := fixedEvents()
				for range eventsPerAction {
					files = append(files, randomEvent(r))
				}
				bundle := filepath.Join(b.folder, a.Contract.Action+".js")
				refused := differential(t, load(t, a.Contract.Action, b.modules[a.Contract.Action]), bundle, files)
				assert.Less(t, refused, len(files)/4, "files refused: most generated files must be decided")
			})
		}
	})
}

// fixedEvents are files every action gets: fields over the ABI's 16 MiB.
func fixedEvents() [][]byte {
	huge := strings.Repeat("a", abi.MaxRequest)
	return [][]byte{
		[]byte(`{"user": {"email": "` + huge + `"}, "request": {"ip": "` + huge + `"}}`),
	}
}

// readPaths are the paths any action reads, and paths next to them.
var readPaths = func() []string {
	seen := map[string]bool{"user.user_id": true, "secrets.OTHER": true}
	for _, a := range actions.All {
		for _, p := range a.Contract.Reads {
			seen[p] = true
		}
	}
	paths := make([]string, 0, len(seen))
	for p := range seen {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	return paths
}()

// jsonStrings are JSON string texts close to what the decisions compare:
// tenants, protocols, emails and domains, flags, IPs; with case, white
// space (JavaScript's and Go's), byte-order marks, look-alike letters, lone
// surrogate escapes and bytes that are not UTF-8.
var jsonStrings = []string{
	`"floatme"`, `"floatme-test"`, `"Floatme-Test"`, `"floatme-test "`, `"floatme-test\ud800"`, `"floatme-test\ufffd"`, `"\udc00floatme-test"`,
	`"oauth2-refresh-token"`, `"OAUTH2-REFRESH-TOKEN"`, `"oidc-basic-profile"`,
	`"jane@example.com"`, `"jane@integration.test"`, `" JANE@Integration.TEST. "`, `"jane@forcemfa.floatme.io"`, `"a@b@forcemfa.floatme.io"`,
	`"jane@sub.integration.test"`, `"jane@integration.test.."`, `"jane@\u0130ntegration.test"`, `"jane@\u212aintegration.test"`,
	`"\u00a0jane@integration.test\u2028"`, `"\ufeffjane@integration.test"`, `"\u0085jane@integration.test"`, `"jane@integration.test\u200b"`,
	`"integration.test"`, `"Integration.Test."`, `"forcemfa.floatme.io"`, `" forcemfa.floatme.io "`, `"sub.integration.test"`,
	`"true"`, `" TRUE "`, `"True\u00a0"`, `"\ufefftrue"`, `"\u0085true"`, `"\u180etrue"`, `"false"`, `"0"`, `" 0 "`, `"FALSE"`, `""`, `" "`, `"\u3000"`, `"no"`, `"1"`,
	`"203.0.113.7"`, `"203.0.113.7 "`, `"::ffff:203.0.113.7"`, `"2001:DB8::0:1"`, `"2001:db8::1"`, `"203.0.113.7:443"`, `"fe80::1%eth0"`,
	`"203.0.113.7,198.51.100.1"`, `"0203.0.113.7"`, `"1.2.3.4\u0000"`, `"` + strings.Repeat("1", 65) + `"`,
	`"\u0000"`, `"\ud83d\ude00"`, `"x\ud800"`, `"x\ufffd"`, `"\\ud800"`,
}

// notUTF8 are string texts whose bytes are not UTF-8: a stray byte, an
// encoded surrogate, an overlong '/'.
var notUTF8 = []string{"\"\xff\"", "\"\xed\xa0\x80\"", "\"\xc0\xaf\""}

// jsonOthers are JSON texts of every other kind: numbers at and around the
// login count's limit and beyond float64, literals, containers.
var jsonOthers = []string{
	`0`, `-0`, `1`, `1.0`, `1e0`, `0.5`, `2`, `-1`, `1e400`, `-1e400`, `1e-400`, `12345678901234567890`, `1.0000000000000001`, `0.99999999999999999999`,
	`true`, `false`, `null`, `{}`, `[]`, `[1]`, `{"x": 1}`, `[[[[]]]]`,
}

// randomValue returns a JSON value text, now and then nested deeper than
// Go's decoder allows or not UTF-8.
func randomValue(r *rand.Rand) string {
	switch n := r.IntN(200); {
	case n == 0:
		return strings.Repeat("[", 20000) + strings.Repeat("]", 20000)
	case n == 1:
		return pick(r, notUTF8)
	case n < 130:
		return pick(r, jsonStrings)
	default:
		return pick(r, jsonOthers)
	}
}

// node is one object of a generated event: its keys in order and, for
// each, a value text or a child object.
type node struct {
	keys     []string
	values   map[string]string
	children map[string]*node
}

func newNode() *node { return &node{values: map[string]string{}, children: map[string]*node{}} }

// set puts value at the dotted path under n.
func (n *node) set(path, value string) {
	step, rest, deeper := strings.Cut(path, ".")
	if _, ok := n.values[step]; !ok && n.children[step] == nil {
		n.keys = append(n.keys, step)
	}
	if !deeper {
		n.values[step] = value
		return
	}
	if n.children[step] == nil {
		n.children[step] = newNode()
	}
	n.children[step].set(rest, value)
}

// text writes n as JSON: now and then a key given twice (the last counts in
// both hosts), a member wrapped in __proto__ (an own property named so,
// in both), or an object replaced by a value of another kind.
func (n *node) text(r *rand.Rand, b *strings.Builder) {
	b.WriteByte('{')
	for i, k := range n.keys {
		if i > 0 {
			b.WriteString(", ")
		}
		if r.IntN(30) == 0 {
			b.WriteString(`"` + k + `": ` + randomValue(r) + ", ")
		}
		proto := r.IntN(40) == 0
		if proto {
			b.WriteString(`"__proto__": {`)
		}
		b.WriteString(`"` + k + `": `)
		switch child := n.children[k]; {
		case child == nil:
			b.WriteString(n.values[k])
		case r.IntN(25) == 0:
			b.WriteString(pick(r, []string{`null`, `"an object"`, `[]`, `1`}))
		default:
			child.text(r, b)
		}
		if proto {
			b.WriteByte('}')
		}
	}
	b.WriteByte('}')
}

// randomEvent returns an event file: each field present two times in
// three; tenant and secrets often equal; now and then a byte-order mark,
// data after the value, a cut, or another top-level value.
func randomEvent(r *rand.Rand) []byte {
	root := newNode()
	for _, p := range readPaths {
		if r.IntN(3) != 0 {
			root.set(p, randomValue(r))
		}
	}
	if r.IntN(3) == 0 {
		v := pick(r, jsonStrings)
		root.set("tenant.id", v)
		root.set("secrets.TEST_TENANT_ID", v)
	}
	var b strings.Builder
	root.text(r, &b)
	text := b.String()
	switch r.IntN(50) {
	case 0:
		return []byte("\ufeff" + text)
	case 1:
		return []byte(text + " x")
	case 2:
		return []byte(text[:r.IntN(len(text))])
	case 3:
		return []byte(pick(r, []string{`null`, `[]`, `"event"`, `1`}))
	}
	return []byte(text)
}
