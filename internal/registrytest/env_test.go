package registrytest

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

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
