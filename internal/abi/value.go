// Package abi is the host↔guest boundary: the names of the guest's exports and
// the byte format of what crosses them. ABI.md in this folder is its
// specification; the Go guest, the wazero host and shim/shim.js implement it.
package abi

import "strconv"

// Kind is the type of a Value, as the host saw it in the event.
type Kind uint8

// The kinds, with their tag bytes on the wire. Object, Array and Other carry
// no payload: an action learns that the value was there and its type, never
// its contents.
const (
	Missing Kind = 0 // absent, or undefined in JavaScript
	Null    Kind = 1
	Bool    Kind = 2 // payload: one byte, 0 or 1
	Number  Kind = 3 // payload: IEEE-754 float64, little-endian
	String  Kind = 4 // payload: u32 length, then UTF-8 bytes
	Object  Kind = 5 // a non-null, non-array object
	Array   Kind = 6
	Other   Kind = 7 // anything JSON cannot hold (a function, a symbol)
)

var kindNames = [...]string{"missing", "null", "bool", "number", "string", "object", "array", "other"}

// String returns the kind's lower-case name, as used in contracts and logs.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Value is one typed value read from an event or passed to an api call.
// Only the field that matches Kind is meaningful.
type Value struct {
	Kind Kind
	Bool bool
	Num  float64
	Str  string
}

// StringValue returns a String value.
func StringValue(s string) Value { return Value{Kind: String, Str: s} }

// BoolValue returns a Bool value.
func BoolValue(b bool) Value { return Value{Kind: Bool, Bool: b} }

// NumberValue returns a Number value.
func NumberValue(f float64) Value { return Value{Kind: Number, Num: f} }

// KindValue returns a payload-free value of kind k (Missing, Null, Object,
// Array, Other).
func KindValue(k Kind) Value { return Value{Kind: k} }

// AsString returns the string and true when v is a String.
func (v Value) AsString() (string, bool) { return v.Str, v.Kind == String }

// Equal reports whether v and w have the same kind and payload.
func (v Value) Equal(w Value) bool {
	if v.Kind != w.Kind {
		return false
	}
	switch v.Kind {
	case Bool:
		return v.Bool == w.Bool
	case Number:
		return v.Num == w.Num
	case String:
		return v.Str == w.Str
	}
	return true
}
