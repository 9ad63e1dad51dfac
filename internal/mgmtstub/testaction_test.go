package mgmtstub_test

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/auth0/go-auth0/management"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/internal/mgmtstub"
)

// testAction calls "test an action" with event and decodes the stand-in's
// answer.
func testAction(t *testing.T, s *mgmtstub.Server, id string, event map[string]any) mgmtstub.TestPayload {
	t.Helper()
	var res mgmtstub.TestResult
	data, err := json.Marshal(map[string]any{"payload": event})
	require.NoError(t, err)
	status, answer := raw(t, s, "POST", "/api/v2/actions/actions/"+id+"/test", string(data))
	require.Equal(t, http.StatusOK, status, "answer %s", answer)
	require.NoError(t, json.Unmarshal([]byte(answer), &res))
	return res.Payload
}

// aUser is the least event Auth0's test runner takes: one with a user.
var aUser = map[string]any{"user": map[string]any{"user_id": "auth0|1", "id": "auth0|1"}}

func TestTestAction(t *testing.T) {
	s := start(t, mgmtstub.Options{TestLogs: true})
	m := client(t, s)

	t.Run("console output and the stored secrets", func(t *testing.T) {
		a := postLoginAction("logger", `exports.onExecutePostLogin = async (event, api) => {
			console.log('secret is', event.secrets.TEST_TENANT_ID, 'user', event.user.email);
			api.multifactor.enable('any').user.setUserMetadata('last_ip', event.request.ip); // calls chain: each returns api
		};`)
		createBuilt(t, s, m, a)
		got := testAction(t, s, a.GetID(), map[string]any{
			"user": map[string]any{"email": "jane@example.com"}, "request": map[string]any{"ip": "203.0.113.7"},
			"secrets": map[string]any{"TEST_TENANT_ID": "from the payload, ignored"},
		})
		assert.Nil(t, got.Error)
		require.NotNil(t, got.Logs, "payload.logs with Options.TestLogs")
		assert.Equal(t, "secret is very-secret-tenant user jane@example.com\n", *got.Logs, "event.secrets come from the stored secrets")
	})

	t.Run("a throw is the payload's error", func(t *testing.T) {
		a := postLoginAction("thrower", `exports.onExecutePostLogin = async (event) => { return event.transaction.id; };`)
		createBuilt(t, s, m, a)
		got := testAction(t, s, a.GetID(), aUser)
		require.NotNil(t, got.Error)
		assert.Equal(t, "TypeError", got.Error.Name)
		assert.Contains(t, got.Error.Message, "Cannot read properties of undefined")
		assert.Contains(t, got.Error.Stack, "TypeError: ")
	})

	t.Run("no handler for the trigger", func(t *testing.T) {
		a := postLoginAction("wrong-handler", `exports.onExecutePreUserRegistration = async () => {};`)
		createBuilt(t, s, m, a)
		got := testAction(t, s, a.GetID(), aUser)
		require.NotNil(t, got.Error)
		assert.Equal(t, "exports.onExecutePostLogin is not a function", got.Error.Message)
	})

	t.Run("pre-user-registration api", func(t *testing.T) {
		a := &management.Action{
			Name: str("pre"), Code: str(`exports.onExecutePreUserRegistration = async (event, api) => { api.user.setAppMetadata('auth_require_mfa', true); console.log('set'); };`),
			SupportedTriggers: []management.ActionTrigger{{ID: str("pre-user-registration"), Version: str("v2")}},
		}
		createBuilt(t, s, m, a)
		got := testAction(t, s, a.GetID(), aUser)
		assert.Nil(t, got.Error)
		require.NotNil(t, got.Logs)
		assert.Equal(t, "set\n", *got.Logs)
	})

	t.Run("an unknown action is not found", func(t *testing.T) {
		status, body := raw(t, s, "POST", "/api/v2/actions/actions/nope/test", `{"payload": {}}`)
		assert.Equal(t, http.StatusNotFound, status, body)
	})

	t.Run("an existing action refuses a payload that is not an object", func(t *testing.T) {
		a := postLoginAction("object-only", `exports.onExecutePostLogin = async () => {};`)
		createBuilt(t, s, m, a)
		for _, payload := range []string{`[]`, `"event"`, `null`} {
			status, body := raw(t, s, "POST", "/api/v2/actions/actions/"+a.GetID()+"/test", `{"payload": `+payload+`}`)
			assert.Equal(t, http.StatusBadRequest, status, "payload %s: %s", payload, body)
			assert.Contains(t, body, "'payload' must be an object", "payload %s", payload)
		}
	})
}

// TestTestActionRequiresWhatTheBuildInstalled: require('<package>')
// resolves what the draft's build installed, and nothing else.
func TestTestActionRequiresWhatTheBuildInstalled(t *testing.T) {
	s := start(t, mgmtstub.Options{TestLogs: true})
	m := client(t, s)
	code := `const f = require('left-pad'); exports.onExecutePostLogin = async () => { console.log(f()); };`
	with := postLoginAction("requires", code)
	createBuilt(t, s, m, with)
	got := testAction(t, s, with.GetID(), aUser)
	assert.Nil(t, got.Error)
	require.NotNil(t, got.Logs)
	assert.Equal(t, "from left-pad\n", *got.Logs)

	without := postLoginAction("requires-undeclared", code)
	without.Dependencies = &[]management.ActionDependency{}
	createBuilt(t, s, m, without)
	got = testAction(t, s, without.GetID(), aUser)
	require.NotNil(t, got.Error, "require of a package the action does not declare")
	assert.Contains(t, got.Error.Message, "Cannot find module 'left-pad'")
}

func TestTestActionWithoutNode(t *testing.T) {
	s := start(t, mgmtstub.Options{Node: filepath.Join(t.TempDir(), "no-node")})
	m := client(t, s)
	a := postLoginAction("any", "")
	createBuilt(t, s, m, a)
	status, body := raw(t, s, "POST", "/api/v2/actions/actions/"+a.GetID()+"/test", `{"payload": {}}`)
	assert.Equal(t, http.StatusInternalServerError, status)
	assert.Contains(t, body, "run npm ci")
}
