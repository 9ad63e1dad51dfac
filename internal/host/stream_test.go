package host_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/actions"
	"github.com/floatme/auth0-wasm-actions/internal/cases"
)

// streamEvents is how many adversarial events one instance decides in
// TestBoundedMemory, per action, build and host.
const streamEvents = 200_000

// streamMemoryBound is the most memory, in bytes, an instance may have
// after the stream: a fixed figure, whatever the events held, far below
// abi.MaxMemory.
const streamMemoryBound = 16 << 20

// TestBoundedMemory: one warm instance of each action decides 200,000
// adversarial events under wazero, each as the native code decides it, and
// its memory stops growing (assertBounded) within streamMemoryBound.
func TestBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("decides 200,000 events per action and build")
	}
	eachBuild(t, func(t *testing.T, b *build) {
		for _, a := range actions.All {
			t.Run(a.Contract.Action, func(t *testing.T) {
				g := newAdversarial(t, a)
				mod := load(t, a.Contract.Action, b.modules[a.Contract.Action])
				var half uint32
				for i := range streamEvents {
					if i == streamEvents/2 {
						half = mod.MemoryBytes()
					}
					ev := g.event(i)
					reason, calls := native(a, ev)
					out := mod.Run(context.Background(), ev)
					if out.Reason != reason || callsJSON(out.Calls) != calls {
						t.Fatalf("event %d: got %s (%s), want the native %s (%s); failure %v", i, out.Reason, callsJSON(out.Calls), reason, calls, out.Failure)
					}
				}
				assertBounded(t, half, mod.MemoryBytes(), mod.Instantiations())
			})
		}
	})
}

// TestBoundedMemoryUnderNode: the same streams through each action's
// bundle of both builds under Node 18 and Node 22 (shim/test/stream.js),
// one warm instance each, with the same bounds, every decision the native
// one. Each action's stream is written once, as JSON lines, for all four.
// It takes about 4 minutes here (2 cores), too long for go test ./...:
// make test runs it (make test-memory, MEMORY_TEST=1).
func TestBoundedMemoryUnderNode(t *testing.T) {
	if os.Getenv("MEMORY_TEST") == "" {
		t.Skip("decides 200,000 events per action, build and Node, about 4 minutes: make test-memory (MEMORY_TEST=1)")
	}
	nodeBins := nodes(t)
	for _, a := range actions.All {
		t.Run(a.Contract.Action, func(t *testing.T) {
			events, wants := writeStream(t, a)
			eachBuild(t, func(t *testing.T, b *build) {
				for name, node := range nodeBins {
					t.Run(name, func(t *testing.T) {
						streamThroughNode(t, node, filepath.Join(b.folder, a.Contract.Action+".js"), events, wants)
					})
				}
			})
		})
	}
}

// verdictOf is a host's reason and calls (callsJSON) for one event.
type verdictOf struct{ reason, calls string }

// writeStream writes a's adversarial stream to a file, one JSON event per
// line, and returns its path and the native verdict on each event.
func writeStream(t *testing.T, a actions.Action) (string, []verdictOf) {
	t.Helper()
	g := newAdversarial(t, a)
	path := filepath.Join(t.TempDir(), "events.jsonl")
	f, err := os.Create(path)
	require.NoError(t, err)
	w := bufio.NewWriter(f)
	wants := make([]verdictOf, streamEvents)
	for i := range streamEvents {
		ev := g.event(i)
		wants[i].reason, wants[i].calls = native(a, ev)
		line, err := json.Marshal(ev)
		require.NoError(t, err)
		_, err = w.Write(append(line, '\n'))
		require.NoError(t, err)
	}
	require.NoError(t, w.Flush())
	require.NoError(t, f.Close())
	return path, wants
}

// streamed is what stream.js reports of one event.
type streamed struct {
	Calls     []shimCall `json:"calls"`
	Lines     []string   `json:"lines"`
	Memory    uint32     `json:"memory"`
	Instances int        `json:"instances"`
}

// streamThroughNode sends the events file through bundle under node and
// checks every decision against wants, and the memory bounds.
func streamThroughNode(t *testing.T, node, bundle, events string, wants []verdictOf) {
	in, err := os.Open(events)
	require.NoError(t, err)
	defer in.Close()
	cmd := exec.Command(node, filepath.Join(cases.RepoRoot(), "shim", "test", "stream.js"), bundle)
	var stderr bytes.Buffer
	cmd.Stdin, cmd.Stderr = in, &stderr
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	defer cmd.Process.Kill() // when a decision differs
	r := bufio.NewReaderSize(stdout, 1<<16)
	var half, last streamed
	for i := 0; ; i++ {
		line, err := r.ReadBytes('\n')
		if err == io.EOF {
			require.Equal(t, len(wants), i, "events answered; stream.js: %s", stderr.String())
			break
		}
		require.NoError(t, err)
		var got streamed
		require.NoError(t, json.Unmarshal(line, &got))
		v := shimVerdict(t, shimRun{Calls: got.Calls, Lines: got.Lines})
		if v.Reason != wants[i].reason || v.Calls != wants[i].calls {
			t.Fatalf("event %d: got %s (%s), want the native %s (%s); %s", i, v.Reason, v.Calls, wants[i].reason, wants[i].calls, got.Lines)
		}
		if i == len(wants)/2 {
			half = got
		}
		last = got
	}
	require.NoError(t, cmd.Wait(), "stream.js: %s", stderr.String())
	assertBounded(t, half.Memory, last.Memory, last.Instances)
}

// streamGrowthSlack is how much an instance's memory may grow in the
// second half of a stream: the standard Go runtime's heap moves by a few
// pages with its collector's pacing (256 KiB seen under load), while
// anything kept per event (the zones TinyGo interned: about 670 bytes each)
// grows it by tens of MiB.
const streamGrowthSlack = 1 << 20

// assertBounded asserts that one instance decided the whole stream and
// that its memory grew by at most streamGrowthSlack in the second half and
// is within streamMemoryBound at the end.
func assertBounded(t *testing.T, half, end uint32, instances int) {
	t.Helper()
	t.Logf("memory: %d KiB half-way, %d KiB after %d events", half>>10, end>>10, streamEvents)
	assert.Equal(t, 1, instances, "instances")
	assert.LessOrEqual(t, end, half+streamGrowthSlack, "memory: %d bytes half-way, %d after %d events", half, end, streamEvents)
	assert.LessOrEqual(t, end, uint32(streamMemoryBound), "memory after %d events, bytes", streamEvents)
}
