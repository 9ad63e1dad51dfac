// Package event reads an action's fields from an Auth0 event given as JSON,
// by the same rules the shim applies to the JavaScript event object
// (internal/abi/ABI.md, "Request").
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

// Parse decodes a JSON event. Numbers become float64 as in JavaScript,
// including those too large for one (they become ±Inf, as JSON.parse makes
// them).
func Parse(data []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var ev any
	if err := d.Decode(&ev); err != nil {
		return nil, err
	}
	if d.More() {
		return nil, errors.New("event: data after the JSON value")
	}
	return numbersToFloats(ev)
}

// numbersToFloats replaces every json.Number in v with its float64, in place.
func numbersToFloats(v any) (any, error) {
	switch v := v.(type) {
	case json.Number:
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) { // out of range: ±Inf, as in JavaScript
			return nil, fmt.Errorf("event: number %s: %w", v, err)
		}
		return f, nil
	case map[string]any:
		for k, e := range v {
			f, err := numbersToFloats(e)
			if err != nil {
				return nil, err
			}
			v[k] = f
		}
	case []any:
		for i, e := range v {
			f, err := numbersToFloats(e)
			if err != nil {
				return nil, err
			}
			v[i] = f
		}
	}
	return v, nil
}

// Fields returns the value at each dotted path of ev, a value from Parse.
func Fields(ev any, paths []string) []abi.Value {
	vals := make([]abi.Value, len(paths))
	for i, p := range paths {
		vals[i] = Field(ev, p)
	}
	return vals
}

// Field returns the value at path: each step must land on an object (not
// null, not an array), else the field is Missing.
func Field(ev any, path string) abi.Value {
	cur := ev
	for step := range strings.SplitSeq(path, ".") {
		obj, ok := cur.(map[string]any)
		if !ok {
			return abi.KindValue(abi.Missing)
		}
		if cur, ok = obj[step]; !ok {
			return abi.KindValue(abi.Missing)
		}
	}
	return valueOf(cur)
}

func valueOf(v any) abi.Value {
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
