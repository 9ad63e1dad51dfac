package tenant

import (
	"context"
	"encoding/json"
	"fmt"
)

// TestPayload is the payload of Auth0's answer to "test an action"
// ({"payload": {...}}): what the action threw, its console output, and the
// api calls it made where the answer lists them (the local stand-in,
// internal/mgmtstub, does; Auth0 documents the payload only as "the
// resulting payload"). Smoke judges by the calls when present and by the
// action's log line (its reason) always.
type TestPayload struct {
	Calls json.RawMessage `json:"calls"`
	Logs  string          `json:"logs"`
	Error *struct {
		Name    string `json:"name"`
		Message string `json:"message"`
	} `json:"error"`
}

// TestAction runs Auth0's "test an action" on the action with the event.
// Auth0 runs the action's draft; the call changes nothing on the tenant.
func (r Reader) TestAction(ctx context.Context, id string, event json.RawMessage) (TestPayload, error) {
	body, err := json.Marshal(struct {
		Payload json.RawMessage `json:"payload"`
	}{event})
	if err != nil {
		return TestPayload{}, fmt.Errorf("test event: %w", err)
	}
	var answer struct {
		Payload TestPayload `json:"payload"`
	}
	if err := r.call(ctx, "POST", body, &answer, []string{"actions", "actions", id, "test"}); err != nil {
		return TestPayload{}, explain(r.Domain, "testing action "+id, err)
	}
	return answer.Payload, nil
}
