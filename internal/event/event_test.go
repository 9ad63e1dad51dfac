package event_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/internal/abi"
	"github.com/floatme/auth0-wasm-actions/internal/event"
)

// field returns event.Field(ev, path), failing t on an error.
func field(t *testing.T, ev any, path string) abi.Value {
	t.Helper()
	v, err := event.Field(ev, path)
	require.NoError(t, err, "Field(%q)", path)
	return v
}

func TestField(t *testing.T) {
	ev, err := event.Parse([]byte(`{
		"user": {"email": "a@b.c", "n": null, "t": true, "count": 3, "obj": {}, "arr": [1]},
		"list": [{"x": 1}],
		"str": "not an object",
		"nul": null
	}`))
	require.NoError(t, err)
	tests := []struct {
		path string
		want abi.Value
	}{
		{"user.email", abi.StringValue("a@b.c")},
		{"user.n", abi.KindValue(abi.Null)},
		{"user.t", abi.BoolValue(true)},
		{"user.count", abi.NumberValue(3)},
		{"user.obj", abi.KindValue(abi.Object)},
		{"user.arr", abi.KindValue(abi.Array)},
		{"user.absent", abi.KindValue(abi.Missing)},
		{"user.email.length", abi.KindValue(abi.Missing)}, // a string is not an object
		{"list.0.x", abi.KindValue(abi.Missing)},          // nor is an array
		{"str.x", abi.KindValue(abi.Missing)},
		{"nul.x", abi.KindValue(abi.Missing)},
		{"absent.x", abi.KindValue(abi.Missing)},
		{"user", abi.KindValue(abi.Object)},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, field(t, ev, tt.path), "Field(%q)", tt.path)
	}
}

func TestParseNumbersAsJavaScriptDoes(t *testing.T) {
	ev, err := event.Parse([]byte(`{"big": 1e400, "small": -1e400, "int": 12345678901234567890}`))
	require.NoError(t, err)
	assert.Equal(t, abi.NumberValue(math.Inf(1)), field(t, ev, "big"))
	assert.Equal(t, abi.NumberValue(math.Inf(-1)), field(t, ev, "small"))
	assert.Equal(t, abi.NumberValue(12345678901234567890), field(t, ev, "int"))
}

func TestParseRefuses(t *testing.T) {
	for name, in := range map[string]string{
		"empty":                     "",
		"only white space":          " \n",
		"not json":                  "{",
		"an unclosed array":         "[[1]",
		"two values":                "{} {}",
		"a trailing comma":          `{"a": 1,}`,
		"an array's trailing comma": "[1,]",
		"a missing colon":           `{"a" 1}`,
		"a byte-order mark":         "\ufeff{}",
		"invalid UTF-8 in a string": "{\"a\": \"\xff\"}",
		"an encoded surrogate":      "{\"a\": \"\xed\xa0\x80\"}",
		"a bad escape":              `{"a": "\x"}`,
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := event.Parse([]byte(in)); err == nil {
				t.Errorf("Parse(%q): got no error, want one", in)
			}
		})
	}
}

// TestParseNesting: nesting has no limit, as in JSON.parse, and costs no
// Go stack.
func TestParseNesting(t *testing.T) {
	const depth = 1_000_000
	ev, err := event.Parse([]byte(`{"user": {"email": "a@b.c"}, "deep": ` + strings.Repeat("[", depth) + strings.Repeat("]", depth) + "}"))
	require.NoError(t, err)
	assert.Equal(t, abi.StringValue("a@b.c"), field(t, ev, "user.email"))
}

func TestParseRepeatedKeyKeepsTheLast(t *testing.T) {
	ev, err := event.Parse([]byte(`{"a": {"b": 1}, "a": {"b": 2}}`))
	require.NoError(t, err)
	assert.Equal(t, abi.NumberValue(2), field(t, ev, "a.b"))
}

// TestLoneSurrogates: a string escaping a lone surrogate is IllFormed, and
// a field holding one has no value; pairs, and escapes that only look like
// surrogates, are strings.
func TestLoneSurrogates(t *testing.T) {
	ill := map[string]string{
		"a high surrogate":            `\ud800`,
		"a low surrogate":             `\udc00`,
		"a high surrogate at the end": `x\uDBFF`,
		"two high surrogates":         `\ud800\ud800\udc00`,
		"a high then a non-surrogate": `\ud800\u0041`,
		"a high then a character":     `\ud800x`,
		"a high then another escape":  `\ud800\n`,
		"a pair then a low surrogate": `\ud83d\ude00\udc00`,
	}
	for name, s := range ill {
		t.Run(name, func(t *testing.T) {
			ev, err := event.Parse([]byte(`{"user": {"email": "` + s + `"}}`))
			require.NoError(t, err)
			_, err = event.Field(ev, "user.email")
			assert.ErrorIs(t, err, event.ErrIllFormed)
			assert.ErrorContains(t, err, "user.email: ")
			_, err = event.Fields(ev, []string{"tenant.id", "user.email"})
			assert.ErrorIs(t, err, event.ErrIllFormed, "Fields")
		})
	}
	well := map[string]string{
		"a pair":               "\\ud83d\\ude00",
		"a literal emoji":      "😀",
		"an escaped backslash": `\\ud800`,
		"U+FFFD":               `\ufffd`,
	}
	for name, s := range well {
		t.Run(name, func(t *testing.T) {
			ev, err := event.Parse([]byte(`{"user": {"email": "` + s + `"}, "x": "\ud800"}`))
			require.NoError(t, err)
			v := field(t, ev, "user.email")
			assert.Equal(t, abi.String, v.Kind, "kind of %s", s)
		})
	}
}

func TestNonObjectEvents(t *testing.T) {
	for _, in := range []string{"null", "[]", `"s"`, "1"} {
		ev, err := event.Parse([]byte(in))
		require.NoError(t, err)
		fields, err := event.Fields(ev, []string{"user.email"})
		require.NoError(t, err)
		assert.Equal(t, []abi.Value{abi.KindValue(abi.Missing)}, fields, in)
	}
}

func TestDecodeObject(t *testing.T) {
	obj, ok := event.DecodeObject([]byte(`{"n": 12345678901234567890, "s": "x"}`))
	if !ok {
		t.Fatalf("DecodeObject of an object: got false, want true")
	}
	if got, want := obj["n"], json.Number("12345678901234567890"); got != want {
		t.Errorf("number: got %#v, want %#v (kept as written)", got, want)
	}
	for _, data := range []string{`[]`, `null`, `"x"`, `{} {}`, `{`} {
		if _, ok := event.DecodeObject([]byte(data)); ok {
			t.Errorf("DecodeObject(%s): got true, want false", data)
		}
	}
}
