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

	"github.com/floatme/auth0-wasm-actions/internal/auth0api"
	"github.com/floatme/auth0-wasm-actions/internal/cases"
	eventpkg "github.com/floatme/auth0-wasm-actions/internal/event"
)

//go:embed harness.js
var harness []byte

// ExecutionLimit is how long an action under test may run, as Auth0's.
const ExecutionLimit = 20 * time.Second

// TestRequest is the body of POST /actions/actions/{id}/test: the event is
// the payload.
type TestRequest struct {
	Payload json.RawMessage `json:"payload"`
}

// TestResult is the stand-in's answer to "test an action": Auth0's
// envelope {"payload": {...}}. Its shape is the one real answer recorded
// (go-auth0's TestActionManager_Test, status 200 although the action
// threw): the error when the action threw, and the timings. Auth0's docs say
// the test shows "the steps that the Action took, console output, any
// errors that occurred, and useful statistics" without naming keys, and no
// recording shows the api calls or console output, so the stand-in returns
// no calls and returns console output only with Options.TestLogs (a guess).
type TestResult struct {
	Payload TestPayload `json:"payload"`
}

// TestPayload is the payload of a TestResult.
type TestPayload struct {
	Error *TestError `json:"error,omitempty"`
	Stats TestStats  `json:"stats"`
	Logs  *string    `json:"logs,omitempty"` // with Options.TestLogs only
}

// TestError is what the action (or the runner around it) threw.
type TestError struct {
	Message string `json:"message"`
	Name    string `json:"name"`
	Stack   string `json:"stack,omitempty"`
}

// TestStats are the timings, under the names Auth0 answers with. The
// stand-in measures its Node run for the runtime execution, boot and action
// durations; the others have no counterpart here and are zero.
type TestStats struct {
	TotalRequestDurationMs          int64 `json:"total_request_duration_ms"`
	TotalRuntimeExecutionDurationMs int64 `json:"total_runtime_execution_duration_ms"`
	RuntimeProcessingDurationMs     int64 `json:"runtime_processing_duration_ms"`
	ActionDurationMs                int64 `json:"action_duration_ms"`
	RuntimeExternalCallDurationMs   int64 `json:"runtime_external_call_duration_ms"`
	BootDurationMs                  int64 `json:"boot_duration_ms"`
	NetworkDurationMs               int64 `json:"network_duration_ms"`
}

// harnessResult is what harness.js writes.
type harnessResult struct {
	Error    *TestError `json:"error"`
	Logs     string     `json:"logs"`
	BootMs   int64      `json:"boot_ms"`
	ActionMs int64      `json:"action_ms"`
}

// draft is what "test an action" runs: the draft's code, trigger, secrets
// and the node_modules its build installed.
type draft struct {
	code, trigger, modules string
	secrets                map[string]string
}

// testAction runs the action's built draft code (as Auth0 does: "test an
// action" tests the current draft, deployed or not) on the event in the
// payload, with event.secrets set from the action's stored secrets and
// require resolving only what the draft's build installed.
func (s *Server) testAction(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	var in TestRequest
	present, ok := readBody(w, r, &in)
	if !ok {
		return
	}
	event, isObject := eventpkg.DecodeObject(in.Payload)
	if !present || !isObject {
		badRequest(w, "Payload validation error: 'payload' must be an object (the event).")
		return
	}
	var d draft
	found := false
	s.withAction(w, r, func(a *action) {
		if notBuilt(w, a, "tested") {
			return
		}
		found = true
		d = draft{code: a.code, modules: a.modules, secrets: map[string]string{}}
		if len(a.triggers) > 0 {
			d.trigger = a.triggers[0].GetID()
		}
		for _, sec := range a.secrets {
			d.secrets[sec.name] = sec.value
		}
	})
	if !found {
		return
	}
	event["secrets"] = d.secrets
	payload, err := s.run(r.Context(), d, event)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "", "stand-in: "+err.Error())
		return
	}
	payload.Stats.TotalRequestDurationMs = time.Since(start).Milliseconds()
	writeJSON(w, http.StatusOK, TestResult{Payload: payload})
}

// run runs d's handler on event in Node, in a fresh folder (so require
// finds packages only through NODE_PATH, the build's node_modules).
func (s *Server) run(ctx context.Context, d draft, event map[string]any) (p TestPayload, err error) {
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
	files := map[string][]byte{
		"action.js": []byte(d.code), "harness.js": harness, "event.json": eventJSON,
		"auth0api.js": auth0api.JS, "api.json": auth0api.JSON,
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			return p, err
		}
	}
	out := filepath.Join(dir, "result.json")
	ctx, cancel := context.WithTimeout(ctx, ExecutionLimit)
	defer cancel()
	cmd := exec.CommandContext(ctx, s.opts.Node, filepath.Join(dir, "harness.js"),
		filepath.Join(dir, "action.js"), d.trigger, filepath.Join(dir, "event.json"), out)
	cmd.Dir = dir
	cmd.Env = []string{"NODE_PATH=" + d.modules}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	began := time.Now()
	runErr := cmd.Run()
	p.Stats.TotalRuntimeExecutionDurationMs = time.Since(began).Milliseconds()
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
	var h harnessResult
	if err := json.Unmarshal(data, &h); err != nil {
		return p, fmt.Errorf("node harness result: %w", err)
	}
	p.Error, p.Stats.BootDurationMs, p.Stats.ActionDurationMs = h.Error, h.BootMs, h.ActionMs
	if s.opts.TestLogs {
		p.Logs = &h.Logs
	}
	return p, nil
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
