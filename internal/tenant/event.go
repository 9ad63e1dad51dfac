package tenant

import (
	"embed"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/floatme/auth0-wasm-actions/internal/contract"
	"github.com/floatme/auth0-wasm-actions/internal/event"
)

// sampleEvents holds a complete event per trigger (events/<trigger>.json),
// shaped as Auth0's documentation of the post-login and
// pre-user-registration event objects describes them, with made-up values:
// Auth0's test runner reads more of the event than a case sets (the one
// recorded test of a minimal event failed in Auth0's own wrapper code,
// reading event.user).
//
//go:embed events/*.json
var sampleEvents embed.FS

// fullEvent returns the case's event laid over the trigger's sample event:
// objects merge key by key, any other value of the case replaces the
// sample's, and every path the action reads (its contract's Reads, secrets
// aside) that the case does not set is removed, so the action sees exactly
// the case's fields. why says, instead, why the case cannot be tested
// faithfully.
func fullEvent(trigger string, c contract.Contract, caseEvent json.RawMessage) (full json.RawMessage, why string) {
	sample, err := sampleEvents.ReadFile("events/" + trigger + ".json")
	if err != nil {
		return nil, "no sample event of the trigger " + trigger + " to test the case with"
	}
	base, ok := event.DecodeObject(sample)
	if !ok {
		return nil, "the sample event of " + trigger + " is not a JSON object" // never: a test reads every sample
	}
	over, ok := event.DecodeObject(caseEvent)
	if !ok {
		return nil, "the event is not a JSON object, and the test endpoint takes only objects"
	}
	merged := overlay(base, over)
	for _, path := range c.Reads {
		if strings.HasPrefix(path, contract.SecretsPrefix) || has(over, path) {
			continue
		}
		remove(merged, path)
	}
	if _, isObject := merged["user"].(map[string]any); !isObject {
		return nil, "the case's event.user is not an object, and Auth0's test runner reads event.user before the action runs"
	}
	data, err := json.Marshal(merged)
	if err != nil {
		return nil, fmt.Sprintf("the event does not encode as JSON: %v", err)
	}
	return data, ""
}

// overlay returns base with over laid on it (neither is changed).
func overlay(base, over map[string]any) map[string]any {
	out := make(map[string]any, len(base)+len(over))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		b, bIsObject := out[k].(map[string]any)
		o, oIsObject := v.(map[string]any)
		if bIsObject && oIsObject {
			out[k] = overlay(b, o)
			continue
		}
		out[k] = v
	}
	return out
}

// has says whether the dotted path names a member of obj.
func has(obj map[string]any, path string) bool {
	parts := strings.Split(path, ".")
	for _, p := range parts[:len(parts)-1] {
		next, ok := obj[p].(map[string]any)
		if !ok {
			return false
		}
		obj = next
	}
	_, ok := obj[parts[len(parts)-1]]
	return ok
}

// remove deletes the member the dotted path names from obj, when every
// step to it is an object.
func remove(obj map[string]any, path string) {
	parts := strings.Split(path, ".")
	for _, p := range parts[:len(parts)-1] {
		next, ok := obj[p].(map[string]any)
		if !ok {
			return
		}
		obj = next
	}
	delete(obj, parts[len(parts)-1])
}
