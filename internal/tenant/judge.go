package tenant

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/floatme/auth0-wasm-actions/internal/cases"
	"github.com/floatme/auth0-wasm-actions/internal/contract"
)

// logLine matches the one line the shim logs per execution:
// "[<action>] decision=<decision> reason=<reason> calls=<n> ...".
var logLine = regexp.MustCompile(`\[([a-z_]+)\] decision=(\S+) reason=(\S+) calls=(\d+)`)

// judge compares a test's answer with the case. Auth0 is not known to
// return the api calls an action made, so the proof is the shim's log line
// in the console output, wherever in the payload it comes back:
//
//   - PASS: the action did not throw, and the answer holds exactly one log
//     line of this action, with the case's reason, that reason's decision
//     in the contract, and as many api calls as the case expects. Smoke
//     tests only the build's own bundle, whose shim writes that line after
//     the module's answer passed the contract check (a fallback logs
//     another reason), so the line is the deployed wasm path's decision.
//   - FAIL: the action threw, or the line says anything else.
//   - UNVERIFIED: no error and no log line: the action ran in Auth0 without
//     throwing, and that is all the answer shows.
func judge(c contract.Contract, cs cases.Case, got TestPayload) (Outcome, string) {
	if got.Error != nil {
		return Failed, fmt.Sprintf("the action threw %s: %s", got.Error.Name, got.Error.Message)
	}
	var mine, others []string
	for _, m := range logLines(got.Raw) {
		if m[1] == c.Action {
			mine = append(mine, m[0])
		} else {
			others = append(others, m[1])
		}
	}
	switch {
	case len(mine) == 0 && len(others) > 0:
		return Failed, fmt.Sprintf("the log line names %s, want %s", strings.Join(others, ", "), c.Action)
	case len(mine) == 0:
		return Unverified, "the action ran without throwing, but the answer holds no console output with its log line (payload keys: " + payloadKeys(got.Raw) + ")"
	case len(mine) > 1:
		return Failed, fmt.Sprintf("%d log lines from one execution, want one", len(mine))
	}
	m := logLine.FindStringSubmatch(mine[0])
	var problems []string
	if m[3] != cs.Reason {
		problems = append(problems, fmt.Sprintf("reason: got %s, want %s", m[3], cs.Reason))
	}
	if want := decisionOf(c, cs.Reason); m[2] != want {
		problems = append(problems, fmt.Sprintf("decision: got %s, want %s", m[2], want))
	}
	if n, _ := strconv.Atoi(m[4]); n != len(cs.Calls) { // the pattern allows digits only
		problems = append(problems, fmt.Sprintf("api calls: got %d, want %d", n, len(cs.Calls)))
	}
	if len(problems) > 0 {
		return Failed, strings.Join(problems, "; ") + " (log line " + strconv.Quote(mine[0]) + ")"
	}
	return Passed, ""
}

// decisionOf returns the decision the contract gives reason; "" for a
// reason it does not list.
func decisionOf(c contract.Contract, reason string) string {
	for _, o := range c.Outcomes {
		if o.Reason == reason {
			return o.Decision
		}
	}
	return ""
}

// logLines returns the submatches of every log line in any string of the
// JSON document raw.
func logLines(raw json.RawMessage) [][]string {
	var doc any
	if json.Unmarshal(raw, &doc) != nil {
		return nil
	}
	var out [][]string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			out = append(out, logLine.FindAllStringSubmatch(v, -1)...)
		case []any:
			for _, e := range v {
				walk(e)
			}
		case map[string]any:
			for _, k := range slices.Sorted(maps.Keys(v)) {
				walk(v[k])
			}
		}
	}
	walk(doc)
	return out
}

// payloadKeys lists the payload's keys, for saying what came back.
func payloadKeys(raw json.RawMessage) string {
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil || len(obj) == 0 {
		return "none"
	}
	return strings.Join(slices.Sorted(maps.Keys(obj)), ", ")
}
