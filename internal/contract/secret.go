package contract

import "github.com/floatme/auth0-wasm-actions/internal/abi"

// ShowSecret describes the value of a secret field without showing it or
// its length: "(secret, set)" for a non-empty string, "(secret, empty)",
// or its kind ("(secret, missing)").
func ShowSecret(v abi.Value) string {
	switch {
	case v.Kind == abi.String && v.Str != "":
		return "(secret, set)"
	case v.Kind == abi.String:
		return "(secret, empty)"
	}
	return "(secret, " + v.Kind.String() + ")"
}
