package mgmtstub

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/floatme/auth0-wasm-actions/internal/cases"
)

//go:embed harness.js
var harness []byte

// ExecutionLimit is how long an action under test may run, as Auth0's.
const ExecutionLimit = 20 * time.Second

// TestRequest is the body of POST /actions/actions/{id}/test.
type TestRequest struct {
	Payload json.RawMessage `json:"payload"`
}

// TestResult is the stand-in's answer to "test an action": Auth0's
// envelope {"payload": {...}}. Auth0 documents the payload only as "the
// resulting payload after an action was executed"; its recorded answers
// hold error and stats, and the stand-in adds what a test needs:
//
//	{"payload": {
//	  "calls": [{"op": "multifactor.enable", "args": ["any"]}],  // api calls, in order
//	  "logs": "[mfa_action] decision=challenge ...\n",            // console output
//	  "error": {"name": "TypeError", "message": "...", "stack": "..."}, // when it threw
//	  "stats": {"action_duration_ms": 31, "total_request_duration_ms": 95}}}
type TestResult struct {
	Payload TestPayload `json:"payload"`
}

// TestPayload is the payload of a TestResult.
type TestPayload struct {
	Calls []Call     `json:"calls"`
	Logs  string     `json:"logs"`
	Error *TestError `json:"error,omitempty"`
	Stats TestStats  `json:"stats"`
}

// Call is one api call the action made.
type Call struct {
	Op   string `json:"op"`
	Args []any  `json:"args"`
}

// TestError is what the action threw.
type TestError struct {
	Name    string `json:"name"`
	Message string `json:"message"`
	Stack   string `json:"stack,omitempty"`
}

// TestStats are the timings, as Auth0 names them.
type TestStats struct {
	ActionDurationMs       int64 `json:"action_duration_ms"`
	TotalRequestDurationMs int64 `json:"total_request_duration_ms"`
}

// testAction runs the action's draft code (as Auth0 does: "test an action"
// tests the current draft, deployed or not) on the event in the payload,
// with event.secrets set from the action's stored secrets.
func (s *Server) testAction(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	var in TestRequest
	present, ok := readBody(w, r, &in)
	if !ok {
		return
	}
	event, isObject := decodeObject(in.Payload)
	if !present || !isObject {
		badRequest(w, "Payload validation error: 'payload' must be an object (the event).")
		return
	}
	var code, trigger string
	secrets := map[string]string{}
	found := false
	s.withAction(w, r, func(a *action) {
		found = true
		code = a.code
		if len(a.triggers) > 0 {
			trigger = a.triggers[0].GetID()
		}
		for _, sec := range a.secrets {
			secrets[sec.name] = sec.value
		}
	})
	if !found {
		return
	}
	event["secrets"] = secrets
	payload, err := s.run(r.Context(), code, trigger, event)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "", "stand-in: "+err.Error())
		return
	}
	payload.Stats.TotalRequestDurationMs = time.Since(start).Milliseconds()
	writeJSON(w, http.StatusOK, TestResult{Payload: payload})
}

// run runs code's handler for trigger on event in Node, in a fresh folder
// (so require finds packages only through NODE_PATH, as in Auth0).
func (s *Server) run(ctx context.Context, code, trigger string, event map[string]any) (p TestPayload, err error) {
	if _, err := os.Stat(s.opts.Node); err != nil {
		return p, fmt.Errorf("no node binary to test actions with: %w (run npm ci in the repository root, or set Options.Node)", err)
	}
	dir, err := os.MkdirTemp("", "mgmtstub-test-")
	if err != nil {
		return p, err
	}
	defer func() { err = errors.Join(err, os.RemoveAll(dir)) }()
	eventJSON, err := json.Marshal(event)
	if err != nil {
		return p, fmt.Errorf("event: %w", err)
	}
	files := map[string][]byte{"action.js": []byte(code), "harness.js": harness, "event.json": eventJSON}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			return p, err
		}
	}
	out := filepath.Join(dir, "result.json")
	ctx, cancel := context.WithTimeout(ctx, ExecutionLimit)
	defer cancel()
	cmd := exec.CommandContext(ctx, s.opts.Node, filepath.Join(dir, "harness.js"),
		filepath.Join(dir, "action.js"), trigger, filepath.Join(dir, "event.json"), out)
	cmd.Dir = dir
	cmd.Env = []string{}
	if s.opts.NodeModules != "" {
		cmd.Env = append(cmd.Env, "NODE_PATH="+s.opts.NodeModules)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	began := time.Now()
	runErr := cmd.Run()
	p.Stats.ActionDurationMs = time.Since(began).Milliseconds()
	if ctx.Err() != nil {
		p.Error = &TestError{Name: "Error", Message: fmt.Sprintf("Script execution time exceeded (%s)", ExecutionLimit)}
		return p, nil
	}
	if runErr != nil {
		return p, fmt.Errorf("node harness: %w: %s", runErr, clip(stderr.String(), 1024))
	}
	data, err := os.ReadFile(out)
	if err != nil {
		return p, fmt.Errorf("node harness wrote no result: %w", err)
	}
	if err := json.Unmarshal(data, &p); err != nil {
		return p, fmt.Errorf("node harness result: %w", err)
	}
	if p.Calls == nil {
		p.Calls = []Call{}
	}
	return p, nil
}

// decodeObject decodes data as a JSON object, numbers kept as written.
func decodeObject(data []byte) (map[string]any, bool) {
	var obj map[string]any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&obj); err != nil || obj == nil {
		return nil, false
	}
	return obj, true
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// defaultNode is the repository's Node 18 (node_modules/node18/bin/node,
// installed by npm ci).
func defaultNode() string {
	return filepath.Join(cases.RepoRoot(), "node_modules", "node18", "bin", "node")
}
