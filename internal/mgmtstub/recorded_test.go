package mgmtstub_test

// The tests in this file speak raw HTTP to the stand-in and hold it to what
// recordings of real Auth0 traffic show (go-auth0's and the auth0
// provider's test cassettes; the fixtures here are written from those
// facts, not copied).

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/internal/mgmtstub"
)

// deployedAction creates a built, deployed post-login action called name
// and returns its id.
func deployedAction(t *testing.T, s *mgmtstub.Server, name string) string {
	t.Helper()
	a := postLoginAction(name, "exports.onExecutePostLogin = async () => {};")
	createBuilt(t, s, client(t, s), a)
	status, body := raw(t, s, "POST", "/api/v2/actions/actions/"+a.GetID()+"/deploy", "")
	require.Equal(t, http.StatusOK, status, body)
	return a.GetID()
}

// keys returns the top-level keys of a JSON object.
func keys(t *testing.T, body string) []string {
	t.Helper()
	var obj map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(body), &obj), "body %s", body)
	var out []string
	for k := range obj {
		out = append(out, k)
	}
	return out
}

func TestRecordedQueryParameters(t *testing.T) {
	s := start(t, mgmtstub.Options{})
	deployedAction(t, s, "listed")
	for name, tt := range map[string]struct {
		path, body string
		status     int
	}{
		"include_totals on the actions list is refused": {
			"/api/v2/actions/actions?include_totals=true&per_page=100", `{"statusCode":400,"error":"Bad Request","message":"Query validation error: 'Additional properties not allowed: include_totals' on property query.","errorCode":"invalid_query_string"}`, 400},
		"include_totals on the bindings is refused": {
			"/api/v2/actions/triggers/post-login/bindings?page=0&include_totals=true", `{"statusCode":400,"error":"Bad Request","message":"Query validation error: 'Additional properties not allowed: include_totals' on property query.","errorCode":"invalid_query_string"}`, 400},
		"a filter the bindings do not have is refused": {
			"/api/v2/actions/triggers/post-login/bindings?actionName=listed", `{"statusCode":400,"error":"Bad Request","message":"Query validation error: 'Additional properties not allowed: actionName' on property query.","errorCode":"invalid_query_string"}`, 400},
		"a parameter on a single action is refused": {
			"/api/v2/actions/actions/x?fields=code", `{"statusCode":400,"error":"Bad Request","message":"Query validation error: 'Additional properties not allowed: fields' on property query.","errorCode":"invalid_query_string"}`, 400},
	} {
		t.Run(name, func(t *testing.T) {
			status, body := raw(t, s, "GET", tt.path, "")
			assert.Equal(t, tt.status, status)
			assert.JSONEq(t, tt.body, body)
		})
	}
	t.Run("every documented parameter of the actions list is accepted", func(t *testing.T) {
		status, body := raw(t, s, "GET", "/api/v2/actions/actions?triggerId=post-login&actionName=listed&deployed=true&page=0&per_page=50&installed=false", "")
		assert.Equal(t, http.StatusOK, status, body)
	})
	t.Run("a page with actions carries the total, and no zero page", func(t *testing.T) {
		_, body := raw(t, s, "GET", "/api/v2/actions/actions?per_page=50", "")
		assert.ElementsMatch(t, []string{"actions", "total", "per_page"}, keys(t, body))
		assert.Contains(t, body, `],"total":1,"per_page":50}`)
	})
	t.Run("a page past the end has no total", func(t *testing.T) {
		_, body := raw(t, s, "GET", "/api/v2/actions/actions?page=3&per_page=50", "")
		assert.Equal(t, `{"actions":[],"page":3,"per_page":50}`, body)
	})
}

func TestRecordedBuildLifecycle(t *testing.T) {
	t.Run("pending, building, built", func(t *testing.T) {
		s := start(t, mgmtstub.Options{BuildTime: 300 * time.Millisecond})
		status, body := raw(t, s, "POST", "/api/v2/actions/actions", `{"name":"lifecycle","supported_triggers":[{"id":"post-login","version":"v3"}],"code":"exports.onExecutePostLogin = async () => {};","dependencies":[{"name":"left-pad","version":"1.3.0"}]}`)
		require.Equal(t, http.StatusCreated, status, body)
		var created struct{ ID, Status string }
		require.NoError(t, json.Unmarshal([]byte(body), &created))
		assert.Equal(t, "pending", created.Status, "status in the answer to create")
		assert.Equal(t, []string{"pending", "building", "built"}, waitBuilt(t, s, created.ID))

		status, body = raw(t, s, "PATCH", "/api/v2/actions/actions/"+created.ID, `{"code":"exports.onExecutePostLogin = async () => { /* 2 */ };"}`)
		require.Equal(t, http.StatusOK, status, body)
		assert.Contains(t, body, `"status":"pending"`, "status in the answer to update")
		assert.Equal(t, []string{"pending", "building", "built"}, waitBuilt(t, s, created.ID), "after an update")
	})
	t.Run("a dependency that cannot be installed: retrying, then failed", func(t *testing.T) {
		s := start(t, mgmtstub.Options{BuildTime: 300 * time.Millisecond})
		status, body := raw(t, s, "POST", "/api/v2/actions/actions", `{"name":"unpublished","supported_triggers":[{"id":"post-login","version":"v3"}],"code":"","dependencies":[{"name":"@floatme/not-published","version":"1.0.0"}]}`)
		require.Equal(t, http.StatusCreated, status, body)
		var created struct{ ID string }
		require.NoError(t, json.Unmarshal([]byte(body), &created))
		assert.Equal(t, []string{"pending", "building", "retrying", "building", "retrying", "building", "failed"}, waitBuilt(t, s, created.ID))
		assert.Contains(t, s.BuildFailure("unpublished"), "no package @floatme/not-published@1.0.0", "why the build failed")
		status, body = raw(t, s, "POST", "/api/v2/actions/actions/"+created.ID+"/deploy", "")
		assert.Equal(t, http.StatusBadRequest, status)
		assert.JSONEq(t, `{"statusCode":400,"error":"Bad Request","message":"A draft must be in the 'built' state before it can be deployed."}`, body)
	})
	t.Run("deploying a draft still building is refused", func(t *testing.T) {
		s := start(t, mgmtstub.Options{BuildTime: 10 * time.Second})
		a := postLoginAction("slow", "")
		require.NoError(t, client(t, s).Action.Create(t.Context(), a))
		status, body := raw(t, s, "POST", "/api/v2/actions/actions/"+a.GetID()+"/deploy", "")
		assert.Equal(t, http.StatusBadRequest, status)
		assert.JSONEq(t, `{"statusCode":400,"error":"Bad Request","message":"A draft must be in the 'built' state before it can be deployed."}`, body)
	})
}

func TestRecordedDelete(t *testing.T) {
	s := start(t, mgmtstub.Options{})
	id := deployedAction(t, s, "bound")
	status, body := raw(t, s, "PATCH", "/api/v2/actions/triggers/post-login/bindings", `{"bindings":[{"ref":{"type":"action_id","value":"`+id+`"},"display_name":"bound"}]}`)
	require.Equal(t, http.StatusOK, status, body)

	t.Run("a bound action is a 409", func(t *testing.T) {
		status, body := raw(t, s, "DELETE", "/api/v2/actions/actions/"+id, "")
		assert.Equal(t, http.StatusConflict, status)
		assert.JSONEq(t, `{"statusCode":409,"error":"Conflict","message":"Unable to delete an action bound to a trigger."}`, body)
		assert.Len(t, s.Bindings("post-login"), 1, "bindings after the refused delete")
	})
	t.Run("force=true deletes it and its bindings", func(t *testing.T) {
		status, body := raw(t, s, "DELETE", "/api/v2/actions/actions/"+id+"?force=true", "")
		assert.Equal(t, http.StatusNoContent, status, body)
		assert.Empty(t, s.Bindings("post-login"))
	})
	t.Run("then it is Auth0's 404, without an errorCode", func(t *testing.T) {
		for _, method := range []string{"GET", "DELETE"} {
			status, body := raw(t, s, method, "/api/v2/actions/actions/"+id, "")
			assert.Equal(t, http.StatusNotFound, status, method)
			assert.Equal(t, `{"statusCode":404,"error":"Not Found","message":"That action does not exist."}`, body, method)
		}
	})
}

func TestRecordedScopes(t *testing.T) {
	s := start(t, mgmtstub.Options{})
	id := deployedAction(t, s, "scoped")
	readOnly := s.TokenWith(mgmtstub.ScopeRead)
	for name, tt := range map[string]struct {
		token, method, path, body string
		want                      string // the scope the 403 names; "" for allowed
	}{
		"read:actions lists":                       {readOnly, "GET", "/api/v2/actions/actions", "", ""},
		"read:actions reads the bindings":          {readOnly, "GET", "/api/v2/actions/triggers/post-login/bindings", "", ""},
		"read:actions cannot test an action":       {readOnly, "POST", "/api/v2/actions/actions/" + id + "/test", `{"payload":{}}`, "create:actions"},
		"read:actions cannot deploy":               {readOnly, "POST", "/api/v2/actions/actions/" + id + "/deploy", "", "update:actions"},
		"read:actions cannot delete":               {readOnly, "DELETE", "/api/v2/actions/actions/" + id, "", "delete:actions"},
		"read:actions cannot bind":                 {readOnly, "PATCH", "/api/v2/actions/triggers/post-login/bindings", `{"bindings":[]}`, "update:actions"},
		"create:actions alone cannot list":         {s.TokenWith(mgmtstub.ScopeCreate), "GET", "/api/v2/actions/actions", "", "read:actions"},
		"no scope at all cannot read the triggers": {s.TokenWith(), "GET", "/api/v2/actions/triggers", "", "read:actions"},
	} {
		t.Run(name, func(t *testing.T) {
			status, body := rawAs(t, s, "Bearer "+tt.token, tt.method, tt.path, tt.body)
			if tt.want == "" {
				assert.Equal(t, http.StatusOK, status, body)
				return
			}
			assert.Equal(t, http.StatusForbidden, status)
			assert.JSONEq(t, `{"statusCode":403,"error":"Forbidden","message":"Insufficient scope, expected any of: `+tt.want+`","errorCode":"insufficient_scope"}`, body)
		})
	}
}

func TestRecordedTestAnswer(t *testing.T) {
	s := start(t, mgmtstub.Options{})
	m := client(t, s)
	a := postLoginAction("tested", `exports.onExecutePostLogin = async (event, api) => { console.log('hello'); api.multifactor.enable('any'); };`)
	createBuilt(t, s, m, a)
	stats := []string{"total_request_duration_ms", "total_runtime_execution_duration_ms", "runtime_processing_duration_ms",
		"action_duration_ms", "runtime_external_call_duration_ms", "boot_duration_ms", "network_duration_ms"}
	test := func(t *testing.T, event string) map[string]json.RawMessage {
		t.Helper()
		status, body := raw(t, s, "POST", "/api/v2/actions/actions/"+a.GetID()+"/test", `{"payload":`+event+`}`)
		require.Equal(t, http.StatusOK, status, body)
		assert.Equal(t, []string{"payload"}, keys(t, body))
		var answer struct{ Payload map[string]json.RawMessage }
		require.NoError(t, json.Unmarshal([]byte(body), &answer))
		assert.ElementsMatch(t, stats, keys(t, string(answer.Payload["stats"])), "payload.stats")
		return answer.Payload
	}
	t.Run("an action that ran: stats only, no calls, no console output", func(t *testing.T) {
		got := test(t, `{"user":{"user_id":"auth0|1"}}`)
		assert.ElementsMatch(t, []string{"stats"}, keys(t, mustJSON(t, got)))
	})
	t.Run("an event without a user: 200 and the wrapper's TypeError", func(t *testing.T) {
		got := test(t, `{"event":{"user":{"email":"j@example.com"}}}`)
		assert.ElementsMatch(t, []string{"error", "stats"}, keys(t, mustJSON(t, got)))
		var e map[string]string
		require.NoError(t, json.Unmarshal(got["error"], &e))
		assert.Equal(t, "TypeError", e["name"])
		assert.Equal(t, "Cannot read properties of undefined (reading 'id')", e["message"])
		assert.True(t, strings.HasPrefix(e["stack"], "TypeError: Cannot read properties of undefined (reading 'id')\n    at "), "stack %q", e["stack"])
	})
	t.Run("secret values are never in an answer", func(t *testing.T) {
		for _, path := range []string{"/api/v2/actions/actions", "/api/v2/actions/actions/" + a.GetID()} {
			_, body := raw(t, s, "GET", path, "")
			assert.NotContains(t, body, "very-secret-tenant", "GET %s", path)
			assert.Contains(t, body, `"secrets":[{"name":"TEST_TENANT_ID","updated_at":`, "GET %s", path)
		}
	})
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	data, err := json.Marshal(v)
	require.NoError(t, err)
	return string(data)
}

func TestRateLimit(t *testing.T) {
	s := start(t, mgmtstub.Options{RateLimit: &mgmtstub.RateLimit{Limit: 2, Window: 2 * time.Second}})
	get := func() *http.Response {
		req, err := http.NewRequest("GET", s.URL()+"/api/v2/actions/triggers", nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+s.Token())
		resp, err := s.Client().Do(req)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		return resp
	}
	var got []string
	for range 3 {
		resp := get()
		got = append(got, resp.Status+" remaining "+resp.Header.Get("X-RateLimit-Remaining")+" of "+resp.Header.Get("X-RateLimit-Limit"))
	}
	assert.Equal(t, []string{"200 OK remaining 1 of 2", "200 OK remaining 0 of 2", "429 Too Many Requests remaining 0 of 2"}, got)
	resp := get()
	reset, err := strconv.ParseInt(resp.Header.Get("X-RateLimit-Reset"), 10, 64)
	require.NoError(t, err, "X-RateLimit-Reset %q", resp.Header.Get("X-RateLimit-Reset"))
	wait := time.Until(time.Unix(reset, 0))
	assert.True(t, wait > 0 && wait <= 2*time.Second, "X-RateLimit-Reset is %v away, want within the window", wait)
	time.Sleep(wait)
	assert.Equal(t, http.StatusOK, get().StatusCode, "at X-RateLimit-Reset")

	s.SetRateLimit(nil)
	for range 5 {
		assert.Equal(t, http.StatusOK, get().StatusCode, "rate limit off")
	}
}
