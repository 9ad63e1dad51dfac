package registrytest

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// startTimeout bounds verdaccio's start.
const startTimeout = 60 * time.Second

// verdaccioConfig is the registry's configuration: storage in the test's
// folder, no uplink (nothing is fetched from elsewhere), anyone may read
// and publish, no account may be added.
const verdaccioConfig = `storage: %q
auth:
  htpasswd:
    file: %q
    max_users: -1
uplinks: {}
packages:
  '**':
    access: $all
    publish: $anonymous
    unpublish: $anonymous
web:
  enable: false
max_body_size: 64mb
log: { type: stdout, format: pretty, level: warn }
`

// registry is a running local npm registry.
type registry struct {
	url      string // http://127.0.0.1:PORT/
	hostPort string // 127.0.0.1:PORT
}

// startVerdaccio starts verdaccio on a free loopback port with its storage
// in dir, waits until it answers, and stops it when the test ends.
func startVerdaccio(t *testing.T, tl tools, dir string) registry {
	t.Helper()
	r := registry{hostPort: "127.0.0.1:" + strconv.Itoa(freePort(t))}
	r.url = "http://" + r.hostPort + "/"
	cfg := filepath.Join(dir, "verdaccio.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte(fmt.Sprintf(verdaccioConfig,
		filepath.Join(dir, "storage"), filepath.Join(dir, "htpasswd"))), 0o644))
	logFile := filepath.Join(dir, "verdaccio.log")
	logw, err := os.Create(logFile)
	require.NoError(t, err)
	cmd := exec.Command(tl.node, tl.verdaccio, "--config", cfg, "--listen", r.hostPort)
	cmd.Stdout, cmd.Stderr = logw, logw
	require.NoError(t, cmd.Start(), "starting verdaccio")
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() { stop(t, cmd, done, logw) })
	deadline := time.Now().Add(startTimeout)
	for {
		select {
		case err := <-done:
			done <- err // for stop
			t.Fatalf("verdaccio exited before answering (%v); its log:\n%s", err, readLog(logFile))
		default:
		}
		if pingOK(r.url + "-/ping") {
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("verdaccio did not answer on %s within %v; its log:\n%s", r.url, startTimeout, readLog(logFile))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// stop ends verdaccio (interrupt, then kill) and closes its log.
func stop(t *testing.T, cmd *exec.Cmd, done chan error, logw *os.File) {
	if err := cmd.Process.Signal(os.Interrupt); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Errorf("interrupting verdaccio: %v", err)
	}
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		if err := cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
			t.Errorf("killing verdaccio: %v", err)
		}
		<-done
	}
	if err := logw.Close(); err != nil {
		t.Errorf("closing verdaccio's log: %v", err)
	}
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	require.NoError(t, l.Close())
	return port
}

func pingOK(url string) bool {
	c := http.Client{Timeout: time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return false
	}
	return resp.Body.Close() == nil && resp.StatusCode == http.StatusOK
}

func readLog(file string) string {
	data, err := os.ReadFile(file)
	if err != nil {
		return "(" + err.Error() + ")"
	}
	return string(data)
}
