// Package verdaccio runs a local npm registry (verdaccio, from the
// repository's node_modules) for the rehearsals: the npm publish rehearsal
// (internal/registrytest) and the deploy rehearsal's stand-in builds
// (internal/deploytest).
package verdaccio

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/internal/npmpkg"
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

// Registry is a running local npm registry.
type Registry struct {
	URL      string // http://127.0.0.1:PORT/
	HostPort string // 127.0.0.1:PORT
}

// Start starts verdaccio (the verdaccio command, run by node) on a free
// loopback port with its storage in dir (made when missing), waits until it answers, and stops
// it when the test ends.
func Start(t testing.TB, node, verdaccio, dir string) Registry {
	t.Helper()
	r := Registry{HostPort: "127.0.0.1:" + strconv.Itoa(freePort(t))}
	r.URL = "http://" + r.HostPort + "/"
	require.NoError(t, os.MkdirAll(dir, 0o755))
	cfg := filepath.Join(dir, "verdaccio.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte(fmt.Sprintf(verdaccioConfig,
		filepath.Join(dir, "storage"), filepath.Join(dir, "htpasswd"))), 0o644))
	logFile := filepath.Join(dir, "verdaccio.log")
	logw, err := os.Create(logFile)
	require.NoError(t, err)
	cmd := exec.Command(node, verdaccio, "--config", cfg, "--listen", r.HostPort)
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
		if pingOK(r.URL + "-/ping") {
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("verdaccio did not answer on %s within %v; its log:\n%s", r.URL, startTimeout, readLog(logFile))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// stop ends verdaccio (interrupt, then kill) and closes its log.
func stop(t testing.TB, cmd *exec.Cmd, done chan error, logw *os.File) {
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
func freePort(t testing.TB) int {
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

// NPMEnv returns the environment every npm run of the rehearsal gets: the
// process's own without any npm configuration variable, Node path or
// option, and npm configured by files in dir alone: a user .npmrc pointing
// the registry (and the scopes of the packages names) at r with a token (npm 11 wants one to
// publish, though verdaccio takes anonymous publishes here), an empty global
// config, a cache of its own.
func NPMEnv(t testing.TB, dir string, r Registry, names []string) []string {
	t.Helper()
	rc := "registry=" + r.URL + "\n//" + r.HostPort + "/:_authToken=registry-rehearsal\n"
	scopes := map[string]bool{}
	for _, name := range names {
		if scope := npmpkg.ScopeOf(name); scope != "" && !scopes[scope] {
			scopes[scope] = true
			rc += scope + ":registry=" + r.URL + "\n"
		}
	}
	userRC, globalRC := filepath.Join(dir, "npmrc"), filepath.Join(dir, "global-npmrc")
	require.NoError(t, os.WriteFile(userRC, []byte(rc), 0o600))
	require.NoError(t, os.WriteFile(globalRC, nil, 0o600))
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(strings.ToLower(k), "npm_config_") || k == "NODE_OPTIONS" || k == "NODE_PATH" {
			continue
		}
		env = append(env, kv)
	}
	return append(env,
		"npm_config_userconfig="+userRC, "npm_config_globalconfig="+globalRC,
		"npm_config_cache="+filepath.Join(dir, "npm-cache"),
		"npm_config_update_notifier=false", "npm_config_audit=false", "npm_config_fund=false")
}
