package host_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/internal/abi"
	"github.com/floatme/auth0-wasm-actions/internal/cases"
	"github.com/floatme/auth0-wasm-actions/internal/event"
	. "github.com/floatme/auth0-wasm-actions/internal/host"
)

// The differential tests run the same event files through this host (as
// actions run does: event.Parse, Module.Run) and through a bundle under
// Node 18 and Node 22 (shim/test/drive.js: JSON.parse, the handler), and
// require the same verdict from both.

// nodes returns the repository's Node binaries by name.
func nodes(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, name := range []string{"node18", "node22"} {
		bin := filepath.Join(cases.RepoRoot(), "node_modules", name, "bin", "node")
		if _, err := os.Stat(bin); err != nil {
			t.Fatalf("%s: %v (run npm ci)", name, err)
		}
		out[name] = bin
	}
	return out
}

// shimRun is what drive.js reports of one event file.
type shimRun struct {
	Refused string     `json:"refused"`
	Calls   []shimCall `json:"calls"`
	Lines   []string   `json:"lines"`
}

type shimCall struct {
	Op   string `json:"op"`
	Args []any  `json:"args"`
}

// driveShim runs bundle on each event file under the Node binary node.
func driveShim(t *testing.T, node, bundle string, files [][]byte) []shimRun {
	t.Helper()
	encoded := make([]string, len(files))
	for i, f := range files {
		encoded[i] = base64.StdEncoding.EncodeToString(f)
	}
	jobs, err := json.Marshal(map[string]any{"bundle": bundle, "events": encoded})
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "jobs.json")
	require.NoError(t, os.WriteFile(path, jobs, 0o644))
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(node, filepath.Join(cases.RepoRoot(), "shim", "test", "drive.js"), path)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "drive.js: %s", stderr.String())
	var runs []shimRun
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &runs), "drive.js output")
	require.Len(t, runs, len(files), "drive.js results")
	return runs
}

// verdict is what a host did with one event: the decision and reason it
// logged, which side failed (the Go host's "host" said as "shim"), the
// failure's detail where both hosts word it the same, and the calls.
type verdict struct {
	Decision, Reason, Side, Detail, Calls string
}

// comparedDetails are the failures whose detail both hosts word alike: the
// contract check's refusals and the events the hosts cannot send.
var comparedDetails = map[string]bool{ReasonForbidden: true, ReasonBadEvent: true}

func hostVerdict(out Outcome) verdict {
	v := verdict{Decision: out.Decision, Reason: out.Reason, Calls: callsJSON(out.Calls)}
	if out.Failure != nil {
		v.Side = map[string]string{"host": "shim"}[out.Failure.Side]
		if v.Side == "" {
			v.Side = out.Failure.Side
		}
		if comparedDetails[out.Reason] {
			v.Detail = out.Failure.Detail
		}
	}
	return v
}

var logLine = regexp.MustCompile(`^\[[a-z_]+\] decision=(\S+) reason=(\S+) calls=\d+ ms=\S+(?: side=(\S+) detail=(.*))?$`)

// shimVerdict reads a verdict from run's one log line.
func shimVerdict(t *testing.T, run shimRun) verdict {
	t.Helper()
	require.Len(t, run.Lines, 1, "log lines")
	m := logLine.FindStringSubmatch(run.Lines[0])
	require.NotNil(t, m, "log line %q", run.Lines[0])
	v := verdict{Decision: m[1], Reason: m[2], Side: m[3]}
	if comparedDetails[v.Reason] {
		v.Detail = m[4]
	}
	calls := make([]abi.Call, len(run.Calls))
	for i, c := range run.Calls {
		calls[i].Op = c.Op
		for _, a := range c.Args {
			calls[i].Args = append(calls[i].Args, argValue(t, a))
		}
	}
	v.Calls = callsJSON(calls)
	return v
}

func argValue(t *testing.T, a any) abi.Value {
	switch a := a.(type) {
	case string:
		return abi.StringValue(a)
	case bool:
		return abi.BoolValue(a)
	case float64:
		return abi.NumberValue(a)
	case nil:
		return abi.KindValue(abi.Null)
	}
	t.Fatalf("api call argument %#v has no ABI form", a)
	return abi.Value{}
}

// callsJSON shows calls for comparison and failure messages.
func callsJSON(calls []abi.Call) string {
	parts := make([]string, len(calls))
	for i, c := range calls {
		parts[i] = fmt.Sprintf("%s%+v", c.Op, c.Args)
	}
	return strings.Join(parts, "; ")
}

// differential runs every file through mod and through bundle under each
// Node, and fails on every file the two hosts decide differently. A file
// event.Parse refuses is refused by actions run with its error, which is
// right only where the two cannot agree: text that is not valid UTF-8 (or
// that JSON.parse refuses too). It returns how many files were refused.
func differential(t *testing.T, mod *Module, bundle string, files [][]byte) (refused int) {
	t.Helper()
	want := make([]*verdict, len(files))
	for i, f := range files {
		ev, err := event.Parse(f)
		if err != nil {
			refused++
			continue
		}
		v := hostVerdict(mod.Run(context.Background(), ev))
		want[i] = &v
	}
	for name, node := range nodes(t) {
		runs := driveShim(t, node, bundle, files)
		disagreements := 0
		for i, run := range runs {
			if want[i] == nil {
				if run.Refused == "" && utf8.Valid(files[i]) {
					t.Errorf("%s: file %d: actions run refuses a file in valid UTF-8 that the shim decides: %.200q", name, i, files[i])
					disagreements++
				}
				continue
			}
			if run.Refused != "" {
				t.Errorf("%s: file %d: actions run decides, JSON.parse refuses (%s): %.200q", name, i, run.Refused, files[i])
				disagreements++
			} else if got := shimVerdict(t, run); got != *want[i] {
				t.Errorf("%s: file %d %.200q:\n got (shim) %+v\nwant (host) %+v", name, i, files[i], got, *want[i])
				disagreements++
			}
			if disagreements >= 10 {
				t.Fatalf("%s: stopping after %d disagreements", name, disagreements)
			}
		}
	}
	return refused
}
