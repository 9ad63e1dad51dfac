// Package event reads an action's fields from an Auth0 event given as JSON,
// by the same rules the shim applies to the JavaScript event object that
// JSON.parse makes of the same text (internal/abi/ABI.md, "Request").
package event

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/floatme/auth0-wasm-actions/internal/abi"
)

// IllFormed is a JSON string that is not well-formed UTF-16 (it escapes a
// lone surrogate, \ud800 say), holding its text with U+FFFD in each lone
// surrogate's place. JavaScript keeps such a string as it is and Go cannot,
// so neither host passes it to a module: a field holding one is a bad event.
type IllFormed string

// ErrIllFormed says that a field holds an IllFormed string; the shim's
// bad-event detail says the same after the field's path.
var ErrIllFormed = errors.New("a string that is not well-formed UTF-16 (a lone surrogate)")

// IllFormedShown is how a field holding an IllFormed string is shown to
// people (actions run, actions diff): it has no one value to show.
const IllFormedShown = "(a string that is not well-formed UTF-16)"

// Field returns the value at path: each step must land on an object (not
// null, not an array) that has the step as a key, else the field is
// Missing. A field holding an IllFormed string is an error naming path.
func Field(ev any, path string) (abi.Value, error) {
	cur := ev
	for step := range strings.SplitSeq(path, ".") {
		obj, ok := cur.(map[string]any)
		if !ok {
			return abi.KindValue(abi.Missing), nil
		}
		if cur, ok = obj[step]; !ok {
			return abi.KindValue(abi.Missing), nil
		}
	}
	if _, ok := cur.(IllFormed); ok {
		return abi.KindValue(abi.Other), fmt.Errorf("%s: %w", path, ErrIllFormed)
	}
	return ValueOf(cur), nil
}

// Fields returns the value at each dotted path of ev, a value from Parse,
// or the error of the first field that has none.
func Fields(ev any, paths []string) ([]abi.Value, error) {
	vals := make([]abi.Value, len(paths))
	for i, p := range paths {
		var err error
		if vals[i], err = Field(ev, p); err != nil {
			return nil, err
		}
	}
	return vals, nil
}

// ValueOf returns the value of one decoded JSON value: its string, number
// or boolean, or its kind.
func ValueOf(v any) abi.Value {
	switch v := v.(type) {
	case nil:
		return abi.KindValue(abi.Null)
	case bool:
		return abi.BoolValue(v)
	case float64:
		return abi.NumberValue(v)
	case string:
		return abi.StringValue(v)
	case map[string]any:
		return abi.KindValue(abi.Object)
	case []any:
		return abi.KindValue(abi.Array)
	}
	return abi.KindValue(abi.Other)
}

// numberOf returns n as JSON.parse reads it: the nearest float64, ±Inf when
// it is out of range.
func numberOf(n json.Number) (float64, error) {
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, fmt.Errorf("event: number %s: %w", n, err)
	}
	return f, nil
}

// DecodeObject decodes data as a JSON object with its numbers kept as
// written (json.Number), for passing an event on unchanged; false when data
// is not one JSON object.
func DecodeObject(data []byte) (map[string]any, bool) {
	var obj map[string]any
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	if err := d.Decode(&obj); err != nil || obj == nil || d.More() {
		return nil, false
	}
	return obj, true
}
