package deploytest_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/internal/mgmtstub"
)

// commandTimeout bounds each terraform command: a provider stuck in a loop
// fails the test instead of hanging it.
const commandTimeout = 3 * time.Minute

// terraform runs the Terraform CLI in a working folder, offline: providers
// come from the filesystem mirror only, credentials and the CA from the
// stand-in.
type terraform struct {
	t   *testing.T
	bin string
	dir string
	env []string
}

// newTerraform returns a Terraform for the deploy files in dir, against
// stub, with secrets as TF_VAR_ variables. Its CLI config, home and data
// live under home.
func newTerraform(t *testing.T, tl tools, dir, home string, stub *mgmtstub.Server, vars map[string]string) *terraform {
	config := filepath.Join(home, "terraform.rc")
	rc := fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path    = %q\n    include = [\"registry.terraform.io/auth0/auth0\"]\n  }\n}\n", tl.mirror)
	require.NoError(t, os.WriteFile(config, []byte(rc), 0o644))
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"TF_CLI_CONFIG_FILE=" + config,
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
		"AUTH0_DOMAIN=" + stub.Domain(),
		"AUTH0_API_TOKEN=" + stub.Token(),
		"SSL_CERT_FILE=" + stub.CAFile(),
	}
	for name, value := range vars {
		env = append(env, "TF_VAR_"+name+"="+value)
	}
	return &terraform{t: t, bin: tl.terraform, dir: dir, env: env}
}

// run runs terraform with args and returns its output (stdout, then
// stderr) and exit code; it fails the test when terraform cannot run.
func (tf *terraform) run(args ...string) (string, int) {
	tf.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, tf.bin, args...)
	cmd.Dir, cmd.Env = tf.dir, tf.env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	tf.t.Logf("terraform %s: %.1fs", args[0], time.Since(start).Seconds())
	out := stdout.String() + stderr.String()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return out, exit.ExitCode()
	}
	require.NoError(tf.t, err, "terraform %v (timeout %v)", args, commandTimeout)
	return out, 0
}

// must runs terraform and fails the test unless it exits 0.
func (tf *terraform) must(args ...string) string {
	tf.t.Helper()
	out, code := tf.run(args...)
	require.Equal(tf.t, 0, code, "terraform %v exited %d:\n%s", args, code, out)
	return out
}
