package registrytest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/internal/npmpkg"
)

// npmEnv returns the environment every npm run of the rehearsal gets: the
// process's own without any npm configuration variable, Node path or
// option, and npm configured by files in dir alone: a user .npmrc pointing
// the registry (and the targets' scopes) at r with a token (npm 11 wants one to
// publish, though verdaccio takes anonymous publishes here), an empty global
// config, a cache of its own.
func npmEnv(t *testing.T, dir string, r registry, targets []npmpkg.Target) []string {
	t.Helper()
	rc := "registry=" + r.url + "\n//" + r.hostPort + "/:_authToken=registry-rehearsal\n"
	scopes := map[string]bool{}
	for _, tg := range targets {
		if scope := npmpkg.ScopeOf(tg.Name); scope != "" && !scopes[scope] {
			scopes[scope] = true
			rc += scope + ":registry=" + r.url + "\n"
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

// result is what a command printed and how it ended.
type result struct {
	stdout, stderr string
	err            error
}

func (r result) String() string {
	return "stdout:\n" + r.stdout + "\nstderr:\n" + r.stderr
}

// runIn runs a command in dir with env.
func runIn(dir string, env []string, name string, args ...string) result {
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = dir, env
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	return result{stdout: out.String(), stderr: errOut.String(), err: err}
}

// mustRun runs a command and fails the test when it fails.
func mustRun(t *testing.T, dir string, env []string, name string, args ...string) result {
	t.Helper()
	r := runIn(dir, env, name, args...)
	require.NoError(t, r.err, "%s %s in %s\n%s", name, strings.Join(args, " "), dir, r)
	return r
}
