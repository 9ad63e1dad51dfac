// Command gen writes the large test cases, the ones too big to write by hand:
// testdata/<action>/large.json for every action of actions.All, its own
// large cases (specific) and two built from its first shared case its
// decision answers (an unread 200 kB field, an unread value nested 1000
// levels deep). Run it from the module root:
//
//	go run ./testdata/gen
//
// Its output is deterministic: the same bytes on every run.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/floatme/auth0-wasm-actions/actions"
	"github.com/floatme/auth0-wasm-actions/internal/cases"
	"github.com/floatme/auth0-wasm-actions/internal/contract"
)

// kv is one member of an object; obj keeps its members in order.
type kv struct {
	k string
	v any
}

type obj []kv

// arr is a JSON array.
type arr []any

// width is the line width below which a container is written on one line.
const width = 96

// maxExpandDepth: a container with one member that nests deeper than this is
// written on one line, so a 1000-deep value is one line rather than a
// 1000-line staircase.
const maxExpandDepth = 8

type testCase struct {
	name   string
	event  any
	calls  arr
	reason string
}

func call(op string, args ...any) obj { return obj{{"op", op}, {"args", arr(args)}} }

var (
	challenge = arr{call("multifactor.enable", "any")}
	skip      = arr{}
)

const (
	testTenant = "floatme-test"
	prodTenant = "floatme"
	refresh    = "oauth2-refresh-token"
	login      = "oidc-basic-profile"
)

// padding is n bytes of a repeating printable pattern.
func padding(n int) string {
	const pattern = "0123456789abcdefghijklmnopqrstuvwxyz"
	return strings.Repeat(pattern, n/len(pattern)+1)[:n]
}

// nestObj nests leaf under key depth times: {"key": {"key": ... leaf}}.
func nestObj(key string, depth int, leaf any) any {
	v := leaf
	for i := 0; i < depth; i++ {
		v = obj{{key, v}}
	}
	return v
}

// nestArr nests leaf in depth arrays: [[... leaf]].
func nestArr(depth int, leaf any) any {
	v := leaf
	for i := 0; i < depth; i++ {
		v = arr{v}
	}
	return v
}

// loginEvent is the post-login event the mfa cases start from.
func loginEvent(tenant, protocol string, email any, appMetadata, body any) obj {
	return obj{
		{"user", obj{
			{"user_id", "auth0|6512f0c4e1a2b3c4d5e6f708"},
			{"email", email},
			{"app_metadata", appMetadata},
			{"user_metadata", obj{}},
		}},
		{"tenant", obj{{"id", tenant}}},
		{"transaction", obj{{"protocol", protocol}}},
		{"stats", obj{{"logins_count", 12}}},
		{"request", obj{{"ip", "203.0.113.7"}, {"body", body}}},
		{"secrets", obj{
			{"TEST_TENANT_ID", testTenant},
			{"INTEGRATION_TEST_EMAIL_DOMAIN", "integration.test"},
		}},
	}
}

func mfaCases() []testCase {
	const big = 200 * 1024
	return []testCase{
		{
			"large: 200 kB body with challengeRequired true challenges",
			loginEvent(prodTenant, login, "jane@example.com", obj{},
				obj{{"padding", padding(big)}, {"challengeRequired", true}}),
			challenge, "challenge-requested",
		},
		{
			"large: 200 kB body with challengeRequired 'false' skips",
			loginEvent(prodTenant, login, "jane@example.com", obj{},
				obj{{"challengeRequired", "false"}, {"padding", padding(big)}}),
			skip, "not-required",
		},
		{
			"large: challengeRequired an object nested 1000 levels deep challenges",
			loginEvent(prodTenant, login, "jane@example.com", obj{},
				obj{{"challengeRequired", nestObj("level", 1000, true)}}),
			challenge, "challenge-requested",
		},
		{
			"large: challengeRequired an array nested 1000 levels deep challenges",
			loginEvent(prodTenant, login, "jane@example.com", obj{},
				obj{{"challengeRequired", nestArr(1000, false)}}),
			challenge, "challenge-requested",
		},
		{
			"large: unrelated body field nested 1000 levels deep does not challenge",
			loginEvent(prodTenant, login, "jane@example.com", obj{},
				obj{{"state", nestObj("challengeRequired", 1000, true)}}),
			skip, "not-required",
		},
		{
			"large: app_metadata field nested 1000 levels deep beside the MFA flag",
			loginEvent(prodTenant, login, "jane@example.com",
				obj{{"preferences", nestObj("auth_require_mfa", 1000, false)}, {"auth_require_mfa", true}},
				obj{}),
			challenge, "mfa-required",
		},
		{
			"large: 100 kB email local part on the force-MFA domain",
			loginEvent(testTenant, refresh, padding(100*1024)+"@forcemfa.floatme.io", obj{}, obj{}),
			challenge, "force-mfa-domain",
		},
		{
			"large: 100 kB email with no @ has no domain",
			loginEvent(testTenant, refresh, padding(100*1024)+".forcemfa.floatme.io", obj{}, obj{}),
			skip, "test-tenant-refresh",
		},
	}
}

func ipEvent(ip any, userMetadata any) obj {
	return obj{
		{"user", obj{
			{"user_id", "auth0|6512f0c4e1a2b3c4d5e6f708"},
			{"email", "jane@example.com"},
			{"user_metadata", userMetadata},
		}},
		{"tenant", obj{{"id", prodTenant}}},
		{"request", obj{{"ip", ip}}},
	}
}

func ipCases() []testCase {
	// list is a 100 kB X-Forwarded-For style list of addresses.
	list := strings.Repeat("203.0.113.7, ", 100*1024/13+1)[:100*1024]
	return []testCase{
		{
			"large: 100 kB list of addresses is not an IP",
			ipEvent(list, obj{}),
			skip, "no-valid-ip",
		},
		{
			"large: 100 kB IPv6 zone is not an IP",
			ipEvent("fe80::1%"+padding(100*1024), obj{{"last_ip", "fe80::1"}}),
			skip, "no-valid-ip",
		},
		{
			"large: 100 kB stored last_ip is replaced",
			ipEvent("203.0.113.7", obj{{"last_ip", padding(100 * 1024)}}),
			arr{call("user.setUserMetadata", "last_ip", "203.0.113.7")}, "recorded",
		},
	}
}

func enableCases() []testCase {
	flags := arr{
		call("user.setAppMetadata", "auth_require_mfa", true),
		call("user.setAppMetadata", "uses_new_mfa_action", true),
	}
	user := func(appMetadata any) obj {
		return obj{
			{"email", "new.user@example.com"},
			{"app_metadata", appMetadata},
			{"user_metadata", obj{}},
		}
	}
	return []testCase{
		{
			"large: 200 kB request body",
			obj{
				{"user", user(obj{})},
				{"tenant", obj{{"id", prodTenant}}},
				{"request", obj{{"ip", "203.0.113.7"}, {"body", obj{{"padding", padding(200 * 1024)}}}}},
			},
			flags, "mfa-flags-set",
		},
		{
			"large: app_metadata nested 1000 levels deep",
			obj{
				{"user", user(nestObj("auth_require_mfa", 1000, false))},
				{"tenant", obj{{"id", prodTenant}}},
			},
			flags, "mfa-flags-set",
		},
	}
}

// specific are the large cases written for an action, by its name.
var specific = map[string]func() []testCase{
	"mfa_action":         mfaCases,
	"add_ip_to_metadata": ipCases,
	"enable_mfa":         enableCases,
}

func main() {
	for _, a := range actions.All {
		cs, err := large(a)
		if err != nil {
			fail(err)
		}
		path := filepath.Join("testdata", a.Contract.Action, "large.json")
		if err := os.WriteFile(path, encodeCases(cs), 0o644); err != nil {
			fail(err)
		}
		fmt.Printf("%s: %d cases\n", path, len(cs))
	}
}

// large returns a's large cases: its specific ones, then those built from
// its base case.
func large(a actions.Action) ([]testCase, error) {
	base, err := baseCase(a)
	if err != nil {
		return nil, err
	}
	var cs []testCase
	if f, ok := specific[a.Contract.Action]; ok {
		cs = f()
	}
	return append(cs, unread(base)...), nil
}

// baseCase returns a's first shared case (but large.json's) whose event is
// an object and whose reason its decision gives.
func baseCase(a actions.Action) (cases.Case, error) {
	cs, err := cases.Load(a.Contract.Action)
	if err != nil {
		return cases.Case{}, err
	}
	for _, c := range cs {
		var ev map[string]any
		decided := slices.ContainsFunc(a.Contract.Outcomes, func(o contract.Outcome) bool { return o.Reason == c.Reason })
		if c.File != filepath.Join(a.Contract.Action, "large.json") && decided && json.Unmarshal(c.Event, &ev) == nil {
			return c, nil
		}
	}
	return cases.Case{}, fmt.Errorf("testdata/%s/ has no case with an object event that the decision answers", a.Contract.Action)
}

// unread returns base twice over with a member no contract reads added to
// its event: 200 kB of padding, and a value nested 1000 levels deep. Each
// must decide as base does.
func unread(base cases.Case) []testCase {
	event := fromJSON(base.Event).(obj)
	calls := arr{}
	for _, c := range base.Calls {
		calls = append(calls, call(c.Op, fromAny(c.Args).(arr)...))
	}
	with := func(k string, v any) obj { return append(slices.Clone(event), kv{k, v}) }
	return []testCase{
		{"large: " + base.Name + ", with an unread 200 kB field", with("unread_padding", padding(200*1024)), calls, base.Reason},
		{"large: " + base.Name + ", with an unread value nested 1000 levels deep", with("unread_nested", nestArr(1000, 0)), calls, base.Reason},
	}
}

// fromJSON returns data as gen writes it: objects with their members in
// key order, whole numbers as int.
func fromJSON(data json.RawMessage) any {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		fail(err)
	}
	return fromAny(v)
}

// fromAny converts a value encoding/json decoded (with UseNumber) to gen's.
func fromAny(v any) any {
	switch v := v.(type) {
	case map[string]any:
		o := obj{}
		for _, k := range slices.Sorted(maps.Keys(v)) {
			o = append(o, kv{k, fromAny(v[k])})
		}
		return o
	case []any:
		a := arr{}
		for _, x := range v {
			a = append(a, fromAny(x))
		}
		return a
	case json.Number:
		if n, err := strconv.Atoi(string(v)); err == nil {
			return n
		}
		f, err := v.Float64()
		if err != nil {
			fail(err)
		}
		return f
	}
	return v
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gen:", err)
	os.Exit(1)
}

// encodeCases writes cases as a JSON array, one case member a line, indented
// by two spaces; containers that fit in width stay on one line.
func encodeCases(cases []testCase) []byte {
	var b strings.Builder
	b.WriteString("[\n")
	for i, c := range cases {
		members := obj{{"name", c.name}, {"event", c.event}, {"calls", c.calls}, {"reason", c.reason}}
		b.WriteString("  {\n")
		for j, m := range members {
			pre := "    " + quote(m.k) + ": "
			b.WriteString(pre)
			b.WriteString(format(m.v, 4, len(pre)))
			if j < len(members)-1 {
				b.WriteString(",")
			}
			b.WriteString("\n")
		}
		b.WriteString("  }")
		if i < len(cases)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString("]\n")
	return []byte(b.String())
}

// format writes v starting at column col, its closing bracket indented by
// indent spaces.
func format(v any, indent, col int) string {
	c := compact(v)
	var n int
	switch v := v.(type) {
	case obj:
		n = len(v)
	case arr:
		n = len(v)
	default:
		return c
	}
	if n == 0 || col+len(c) <= width || n == 1 && depth(v) > maxExpandDepth {
		return c
	}
	pad := strings.Repeat(" ", indent+2)
	var b strings.Builder
	switch v := v.(type) {
	case arr:
		b.WriteString("[\n")
		for i, x := range v {
			b.WriteString(pad + format(x, indent+2, indent+2))
			if i < len(v)-1 {
				b.WriteString(",")
			}
			b.WriteString("\n")
		}
		b.WriteString(strings.Repeat(" ", indent) + "]")
	case obj:
		b.WriteString("{\n")
		for i, m := range v {
			pre := pad + quote(m.k) + ": "
			b.WriteString(pre + format(m.v, indent+2, len(pre)))
			if i < len(v)-1 {
				b.WriteString(",")
			}
			b.WriteString("\n")
		}
		b.WriteString(strings.Repeat(" ", indent) + "}")
	}
	return b.String()
}

// depth returns how many containers v nests, itself included.
func depth(v any) int {
	d := 0
	switch v := v.(type) {
	case obj:
		for _, m := range v {
			d = max(d, depth(m.v))
		}
	case arr:
		for _, x := range v {
			d = max(d, depth(x))
		}
	default:
		return 0
	}
	return d + 1
}

// compact writes v on one line, with a space after each ":" and ",".
func compact(v any) string {
	var b strings.Builder
	writeCompact(&b, v)
	return b.String()
}

func writeCompact(b *strings.Builder, v any) {
	switch v := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case int:
		b.WriteString(strconv.Itoa(v))
	case float64:
		b.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
	case string:
		b.WriteString(quote(v))
	case arr:
		b.WriteString("[")
		for i, x := range v {
			if i > 0 {
				b.WriteString(", ")
			}
			writeCompact(b, x)
		}
		b.WriteString("]")
	case obj:
		b.WriteString("{")
		for i, m := range v {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(quote(m.k) + ": ")
			writeCompact(b, m.v)
		}
		b.WriteString("}")
	default:
		panic(fmt.Sprintf("gen: cannot encode %T", v))
	}
}

// quote writes s as a JSON string: printable ASCII as is, everything else
// escaped as \uXXXX (or \n, \t, \r).
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		case r == utf8.RuneError:
			panic("gen: string is not valid UTF-8")
		case r > 0xffff:
			r -= 0x10000
			fmt.Fprintf(&b, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
