// Package auth0api describes the api object Auth0 passes to an Action's
// handler, per trigger: every method Auth0 documents for it (not only those
// the actions call today), by its path under api ("multifactor.enable"),
// with what a call returns. api.json is the one description: the build
// checks each contract's ops against it, and every mock of the api object
// (auth0api.js: the shim's tests, the bench, the deploy journeys, the
// Management API stand-in, actions diff) is built from it.
package auth0api

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// JSON is api.json, for tools that hand it to a JavaScript mock
// (auth0api.js reads it from the same folder).
//
//go:embed api.json
var JSON []byte

// JS is auth0api.js, the JavaScript mock built from JSON.
//
//go:embed auth0api.js
var JS []byte

// Trigger is one trigger's api object.
type Trigger struct {
	// Version is the trigger version the description is of.
	Version string `json:"version"`
	// Handler is the export Auth0 calls for the trigger.
	Handler string `json:"handler"`
	// Event lists fields of the trigger's event object that code commonly
	// reads (Auth0's event object has more): actions diff sets them too, so
	// that a change keyed on a field no contract reads (the shim sees the
	// whole event) still meets events that set it.
	Event []string `json:"event"`
	// Methods maps each method's path to what a call returns: "api" for the
	// api object itself (calls chain, as in Auth0), null for undefined, any
	// other JSON value as it is.
	Methods map[string]json.RawMessage `json:"methods"`
}

// Triggers is the description, by trigger id.
var Triggers = mustParse(JSON)

func mustParse(data []byte) map[string]Trigger {
	var ts map[string]Trigger
	if err := json.Unmarshal(data, &ts); err != nil {
		panic("auth0api: api.json: " + err.Error())
	}
	return ts
}

// Ops returns the method paths of trigger's api, sorted, and false when the
// description has no such trigger.
func Ops(trigger string) ([]string, bool) {
	t, ok := Triggers[trigger]
	if !ok {
		return nil, false
	}
	ops := make([]string, 0, len(t.Methods))
	for op := range t.Methods {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	return ops, true
}

// CheckOp returns nil when trigger's api has the method op, otherwise an
// error naming the op, the trigger and the methods it has.
func CheckOp(trigger, op string) error {
	ops, ok := Ops(trigger)
	switch {
	case !ok:
		return fmt.Errorf("trigger %q: internal/auth0api/api.json does not describe its api object", trigger)
	case !slices.Contains(ops, op):
		return fmt.Errorf("op %q: the %s api object has no such method (internal/auth0api/api.json lists %s)", op, trigger, strings.Join(ops, ", "))
	}
	return nil
}
