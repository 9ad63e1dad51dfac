package tenant

import (
	"context"
	"encoding/json"
	"fmt"
)

// TestPayload is the payload of Auth0's answer to "test an action"
// ({"payload": {...}}). The one real answer recorded holds only error (when
// the action threw) and stats; Auth0's docs mention console output without
// naming its key. Raw keeps the whole payload, so that console output is
// found wherever it comes back.
type TestPayload struct {
	Error *TestError
	Raw   json.RawMessage
}

// TestError is what the action threw, as the payload's error.
type TestError struct {
	Name    string `json:"name"`
	Message string `json:"message"`
}

// TestAction runs Auth0's "test an action" on the action with the event as
// the payload. Auth0 runs the action's draft; the call changes nothing on
// the tenant. An answer whose payload is not an object is an error.
func (r Reader) TestAction(ctx context.Context, id string, event json.RawMessage) (TestPayload, error) {
	body, err := json.Marshal(struct {
		Payload json.RawMessage `json:"payload"`
	}{event})
	if err != nil {
		return TestPayload{}, fmt.Errorf("test event: %w", err)
	}
	var answer struct {
		Payload json.RawMessage `json:"payload"`
	}
	if err := r.call(ctx, "POST", body, &answer, []string{"actions", "actions", id, "test"}); err != nil {
		return TestPayload{}, explain(r.Domain, "testing action "+id, ScopeCreate, err)
	}
	var p struct {
		Error *TestError `json:"error"`
	}
	if err := json.Unmarshal(answer.Payload, &p); err != nil || len(answer.Payload) == 0 || answer.Payload[0] != '{' {
		return TestPayload{}, fmt.Errorf("tenant %s answered testing action %s with a payload that is not the object expected: %.200s", r.Domain, id, answer.Payload)
	}
	return TestPayload{Error: p.Error, Raw: answer.Payload}, nil
}
