package mgmtstub_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/auth0/go-auth0/management"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/internal/mgmtstub"
)

// testAction calls "test an action" and decodes the stand-in's answer.
func testAction(t *testing.T, s *mgmtstub.Server, m *management.Management, id string, event map[string]any) mgmtstub.TestPayload {
	t.Helper()
	var res mgmtstub.TestResult
	body := struct {
		Payload map[string]any `json:"payload"`
	}{event}
	data, err := json.Marshal(body)
	require.NoError(t, err)
	status, answer := raw(t, s, "POST", "/api/v2/actions/actions/"+id+"/test", string(data))
	require.Equal(t, http.StatusOK, status, "answer %s", answer)
	require.NoError(t, json.Unmarshal([]byte(answer), &res))
	return res.Payload
}

func createCode(t *testing.T, m *management.Management, a *management.Action) {
	t.Helper()
	require.NoError(t, m.Action.Create(context.Background(), a))
}

func TestTestAction(t *testing.T) {
	s := start(t, mgmtstub.Options{})
	m := client(t, s)

	t.Run("records api calls, logs and secrets", func(t *testing.T) {
		a := postLoginAction("recorder", `exports.onExecutePostLogin = async (event, api) => {
			console.log('secret is', event.secrets.TEST_TENANT_ID, 'user', event.user.email);
			api.multifactor.enable('any');
			api.user.setUserMetadata('last_ip', event.request.ip).user.setAppMetadata('n', 1); // calls chain: each returns api
		};`)
		createCode(t, m, a)
		got := testAction(t, s, m, a.GetID(), map[string]any{
			"user": map[string]any{"email": "jane@example.com"}, "request": map[string]any{"ip": "203.0.113.7"},
			"secrets": map[string]any{"TEST_TENANT_ID": "from the payload, ignored"},
		})
		assert.Nil(t, got.Error)
		assert.Equal(t, []mgmtstub.Call{
			{Op: "multifactor.enable", Args: []any{"any"}},
			{Op: "user.setUserMetadata", Args: []any{"last_ip", "203.0.113.7"}},
			{Op: "user.setAppMetadata", Args: []any{"n", float64(1)}},
		}, got.Calls)
		assert.Equal(t, "secret is very-secret-tenant user jane@example.com\n", got.Logs, "event.secrets come from the stored secrets")
	})

	t.Run("a throw is the payload's error", func(t *testing.T) {
		a := postLoginAction("thrower", `exports.onExecutePostLogin = async (event) => { return event.user.id; };`)
		createCode(t, m, a)
		got := testAction(t, s, m, a.GetID(), map[string]any{})
		require.NotNil(t, got.Error)
		assert.Equal(t, "TypeError", got.Error.Name)
		assert.Contains(t, got.Error.Message, "Cannot read properties of undefined")
		assert.Empty(t, got.Calls)
	})

	t.Run("no handler for the trigger", func(t *testing.T) {
		a := postLoginAction("wrong-handler", `exports.onExecutePreUserRegistration = async () => {};`)
		createCode(t, m, a)
		got := testAction(t, s, m, a.GetID(), map[string]any{})
		require.NotNil(t, got.Error)
		assert.Equal(t, "exports.onExecutePostLogin is not a function", got.Error.Message)
	})

	t.Run("pre-user-registration api", func(t *testing.T) {
		a := &management.Action{
			Name: str("pre"), Code: str(`exports.onExecutePreUserRegistration = async (event, api) => { api.user.setAppMetadata('auth_require_mfa', true); };`),
			SupportedTriggers: []management.ActionTrigger{{ID: str("pre-user-registration"), Version: str("v2")}},
		}
		createCode(t, m, a)
		got := testAction(t, s, m, a.GetID(), map[string]any{})
		assert.Equal(t, []mgmtstub.Call{{Op: "user.setAppMetadata", Args: []any{"auth_require_mfa", true}}}, got.Calls)
	})

	t.Run("an unknown action is not found", func(t *testing.T) {
		status, body := raw(t, s, "POST", "/api/v2/actions/actions/nope/test", `{"payload": {}}`)
		assert.Equal(t, http.StatusNotFound, status, body)
	})

	t.Run("the event is a plain object", func(t *testing.T) {
		a := postLoginAction("object-only", `exports.onExecutePostLogin = async () => {};`)
		createCode(t, m, a)
		for _, payload := range []string{`[]`, `"event"`, `null`} {
			status, body := raw(t, s, "POST", "/api/v2/actions/actions/"+a.GetID()+"/test", `{"payload": `+payload+`}`)
			assert.Equal(t, http.StatusBadRequest, status, "payload %s: %s", payload, body)
			assert.Contains(t, body, "'payload' must be an object", "payload %s", payload)
		}
	})
}

// TestTestActionNodePath: require('<package>') resolves through
// Options.NodeModules, and only through it.
func TestTestActionNodePath(t *testing.T) {
	modules := t.TempDir()
	pkg := filepath.Join(modules, "stub-pkg")
	require.NoError(t, os.MkdirAll(pkg, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(pkg, "index.js"), []byte(`module.exports = () => 'from stub-pkg';`), 0o644))
	code := `const f = require('stub-pkg'); exports.onExecutePostLogin = async (event, api) => { api.user.setAppMetadata('from', f()); };`

	with := start(t, mgmtstub.Options{NodeModules: modules})
	m := client(t, with)
	a := postLoginAction("requires", code)
	createCode(t, m, a)
	got := testAction(t, with, m, a.GetID(), map[string]any{})
	assert.Nil(t, got.Error)
	assert.Equal(t, []mgmtstub.Call{{Op: "user.setAppMetadata", Args: []any{"from", "from stub-pkg"}}}, got.Calls)

	without := start(t, mgmtstub.Options{})
	m = client(t, without)
	a = postLoginAction("requires", code)
	createCode(t, m, a)
	got = testAction(t, without, m, a.GetID(), map[string]any{})
	require.NotNil(t, got.Error, "require without NODE_PATH")
	assert.Contains(t, got.Error.Message, "Cannot find module 'stub-pkg'")
}

func TestTestActionWithoutNode(t *testing.T) {
	s := start(t, mgmtstub.Options{Node: filepath.Join(t.TempDir(), "no-node")})
	m := client(t, s)
	a := postLoginAction("any", "")
	createCode(t, m, a)
	status, body := raw(t, s, "POST", "/api/v2/actions/actions/"+a.GetID()+"/test", `{"payload": {}}`)
	assert.Equal(t, http.StatusInternalServerError, status)
	assert.Contains(t, body, "run npm ci")
}
