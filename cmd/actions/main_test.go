package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/internal/cases"
	"github.com/floatme/auth0-wasm-actions/internal/compiler"
	"github.com/floatme/auth0-wasm-actions/internal/testguest"
	"github.com/floatme/auth0-wasm-actions/internal/testguest/faultmode"
)

func runCmd(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), args, &out)
	return out.String(), err
}

func writeEvent(t *testing.T, json string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "event.json")
	require.NoError(t, os.WriteFile(path, []byte(json), 0o644))
	return path
}

// TestRunExplainsADecision: the command answers "why was this user
// challenged?" with the fields read, the reason and the calls, and shows no
// secret's value.
func TestRunExplainsADecision(t *testing.T) {
	ev := writeEvent(t, `{"user": {"email": "jane@example.com", "app_metadata": {"auth_require_mfa": true}},
		"stats": {"logins_count": 4}, "secrets": {"TEST_TENANT_ID": "very-secret-tenant"}}`)
	out, err := runCmd(t, "run", "-dir", filepath.Join(cases.RepoRoot(), "build"), "mfa_action", ev)
	require.NoError(t, err)
	for _, line := range []string{
		`read      user.email = "jane@example.com"`,
		`read      user.app_metadata.auth_require_mfa = true`,
		`read      stats.logins_count = 4`,
		`read      secrets.TEST_TENANT_ID = (secret, set)`,
		`read      secrets.FORCE_MFA_EMAIL_DOMAIN = (secret, missing)`,
		"decision  challenge\nreason    mfa-required\n",
		`call      api.multifactor.enable("any")`,
	} {
		assert.Contains(t, out, line)
	}
	assert.NotContains(t, out, "very-secret-tenant")
	assert.NotContains(t, out, "18", "the secret's length")
}

// TestRunBadEvent: a field escaping a lone surrogate is the host's
// bad-event, as it is the shim's, and the action falls back.
func TestRunBadEvent(t *testing.T) {
	ev := writeEvent(t, `{"tenant": {"id": "tenant-\udc00"}, "transaction": {"protocol": "oauth2-refresh-token"},
		"user": {"app_metadata": {"auth_require_mfa": true}}, "secrets": {"TEST_TENANT_ID": "tenant-\ud800"}}`)
	out, err := runCmd(t, "run", "-dir", filepath.Join(cases.RepoRoot(), "build"), "mfa_action", ev)
	require.NoError(t, err)
	for _, line := range []string{
		"read      tenant.id = (a string that is not well-formed UTF-16)\n",
		"read      secrets.TEST_TENANT_ID = (a string that is not well-formed UTF-16)\n",
		"decision  fallback\nreason    bad-event\n",
		"failure   host failed (bad-event): tenant.id: a string that is not well-formed UTF-16 (a lone surrogate)\n",
		`call      api.multifactor.enable("any")`,
	} {
		assert.Contains(t, out, line)
	}
}

// TestRunScrubsSecretsFromFailures: a guest whose panic holds a secret
// (the faulty test guest, run as mfa_action) does not get it printed, with
// either compiler (a TinyGo guest's panic traps; a Go guest's is an error).
func TestRunScrubsSecretsFromFailures(t *testing.T) {
	for name, reason := range map[string]string{compiler.TinyGo: "guest-trap", compiler.Go: "guest-error"} {
		t.Run(name, func(t *testing.T) {
			c, err := compiler.Named(name, "")
			require.NoError(t, err)
			dir := t.TempDir()
			wasm, err := testguest.Build(context.Background(), c, dir, "faulty")
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(filepath.Join(dir, "mfa_action.wasm"), wasm, 0o644))
			ev := writeEvent(t, `{"user": {"email": "`+faultmode.EmailEchoSecret+`"}, "secrets": {"TEST_TENANT_ID": "very-secret-tenant"}}`)
			out, err := runCmd(t, "run", "-dir", dir, "mfa_action", ev)
			require.NoError(t, err)
			assert.Contains(t, out, "decision  fallback\nreason    "+reason+"\n")
			assert.Contains(t, out, "panic: the test tenant is [redacted]")
			assert.Contains(t, out, `call      api.multifactor.enable("any")`)
			assert.NotContains(t, out, "very-secret-tenant")
		})
	}
}

func TestRunNoCalls(t *testing.T) {
	ev := writeEvent(t, `{"request": {"ip": "203.0.113.7:443"}}`)
	out, err := runCmd(t, "run", "-dir", filepath.Join(cases.RepoRoot(), "build"), "add_ip_to_metadata", ev)
	require.NoError(t, err)
	assert.Contains(t, out, "reason    no-valid-ip\ncalls     none\n")
}

func TestRunErrors(t *testing.T) {
	ev := writeEvent(t, `{}`)
	for name, tt := range map[string]struct {
		args []string
		want string
	}{
		"no command":     {nil, "usage:"},
		"unknown cmd":    {[]string{"deploy"}, `unknown command "deploy"`},
		"unknown action": {[]string{"run", "no_such_action", ev}, `unknown action "no_such_action"`},
		"no build":       {[]string{"run", "-dir", t.TempDir(), "mfa_action", ev}, "run make wasm"},
		"bad event":      {[]string{"run", "-dir", filepath.Join(cases.RepoRoot(), "build"), "mfa_action", writeEvent(t, "{")}, "event.json: event: unexpected EOF"},
		"invalid UTF-8":  {[]string{"run", "-dir", filepath.Join(cases.RepoRoot(), "build"), "mfa_action", writeEvent(t, "{\"user\": {\"email\": \"\xff@example.com\"}}")}, "event.json: event: the file is not valid UTF-8"},
		"missing args":   {[]string{"run", "mfa_action"}, "run needs ACTION and EVENT.json"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := runCmd(t, tt.args...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// TestCommandsTakeNoArguments: a stray argument after the flags is an
// error, not ignored, before a command does anything.
func TestCommandsTakeNoArguments(t *testing.T) {
	for _, cmd := range []string{"build", "publish", "verify", "smoke"} {
		t.Run(cmd, func(t *testing.T) {
			_, err := runCmd(t, cmd, "-dir", t.TempDir(), "stray")
			assert.EqualError(t, err, cmd+` takes no arguments, got ["stray"]`)
		})
	}
}
