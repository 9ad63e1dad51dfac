package tenant

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/floatme/auth0-wasm-actions/actions/mfa"
	"github.com/floatme/auth0-wasm-actions/internal/cases"
)

// TestJudgeFindsTheLogLineAnywhere: console output counts wherever the
// payload holds it, since Auth0 does not document its key.
func TestJudgeFindsTheLogLineAnywhere(t *testing.T) {
	c := cases.Case{Name: "challenge", Reason: "mfa-required", Calls: []cases.Call{{Op: "multifactor.enable", Args: []any{"any"}}}}
	line := `[mfa_action] decision=challenge reason=mfa-required calls=1 ms=0.20`
	for name, tt := range map[string]struct {
		payload string
		outcome Outcome
	}{
		"logs as a string":         {`{"logs": "` + line + `\n", "stats": {}}`, Passed},
		"console as a list":        {`{"console": [{"level": "log", "message": "` + line + `"}], "stats": {}}`, Passed},
		"nested deeper":            {`{"result": {"output": {"stdout": "x\n` + line + `\n"}}}`, Passed},
		"only stats, as recorded":  {`{"stats": {"action_duration_ms": 5}}`, Unverified},
		"a fallback line":          {`{"logs": "[mfa_action] decision=challenge reason=module-load calls=1 side=shim"}`, Failed},
		"a thrown error, no lines": {`{"error": {"name": "TypeError", "message": "x"}, "stats": {}}`, Failed},
	} {
		t.Run(name, func(t *testing.T) {
			p := TestPayload{Raw: json.RawMessage(tt.payload)}
			var e struct{ Error *TestError }
			if assert.NoError(t, json.Unmarshal(p.Raw, &e)) {
				p.Error = e.Error
			}
			got, detail := judge(mfa.Contract, c, p)
			assert.Equal(t, tt.outcome, got, "outcome (detail %q)", detail)
		})
	}
}
