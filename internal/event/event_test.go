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
		assert.Equal(t, tt.want, event.Field(ev, tt.path), "Field(%q)", tt.path)
	}
}

func TestParseNumbersAsJavaScriptDoes(t *testing.T) {
	ev, err := event.Parse([]byte(`{"big": 1e400, "small": -1e400, "int": 12345678901234567890}`))
	require.NoError(t, err)
	assert.Equal(t, abi.NumberValue(math.Inf(1)), event.Field(ev, "big"))
	assert.Equal(t, abi.NumberValue(math.Inf(-1)), event.Field(ev, "small"))
	assert.Equal(t, abi.NumberValue(12345678901234567890), event.Field(ev, "int"))
}

func TestParseRefuses(t *testing.T) {
	for name, in := range map[string]string{
		"empty":          "",
		"not json":       "{",
		"two values":     "{} {}",
		"beyond nesting": strings.Repeat("[", 20000) + strings.Repeat("]", 20000),
	} {
		_, err := event.Parse([]byte(in))
		assert.Error(t, err, name)
	}
}

func TestNonObjectEvents(t *testing.T) {
	for _, in := range []string{"null", "[]", `"s"`, "1"} {
		ev, err := event.Parse([]byte(in))
		require.NoError(t, err)
		assert.Equal(t, []abi.Value{abi.KindValue(abi.Missing)}, event.Fields(ev, []string{"user.email"}), in)
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
