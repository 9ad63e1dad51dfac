package mgmtstub_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/auth0/go-auth0/management"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/internal/mgmtstub"
)

// testBuildTime is the build time of the tests' stand-ins.
const testBuildTime = 30 * time.Millisecond

// start starts a stand-in for t; unless opts say otherwise, its builds take
// testBuildTime and can install left-pad 1.3.0 (a folder of that name and
// version).
func start(t *testing.T, opts mgmtstub.Options) *mgmtstub.Server {
	t.Helper()
	if opts.BuildTime == 0 {
		opts.BuildTime = testBuildTime
	}
	if opts.Installer == nil {
		opts.Installer = mgmtstub.Folders{fakePackage(t, "left-pad", "1.3.0")}
	}
	s, err := mgmtstub.Start(opts)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, s.Close()) })
	return s
}

// client is go-auth0's management client on s, with retries as given.
func client(t *testing.T, s *mgmtstub.Server, opts ...management.Option) *management.Management {
	t.Helper()
	all := append([]management.Option{management.WithStaticToken(s.Token()), management.WithClient(s.Client())}, opts...)
	m, err := management.New(s.Domain(), all...)
	require.NoError(t, err)
	return m
}

func str(s string) *string { return &s }

// fakePackage writes a package folder of name and version whose index.js
// exports a function returning "from NAME", and returns it.
func fakePackage(t *testing.T, name, version string) string {
	t.Helper()
	dir := t.TempDir()
	pkg, err := json.Marshal(map[string]string{"name": name, "version": version, "main": "index.js"})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "package.json"), pkg, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "index.js"), []byte("module.exports = () => 'from "+name+"';\n"), 0o644))
	return dir
}

// waitBuilt polls the action until its build ends and returns the
// statuses it went through, in order, each once.
func waitBuilt(t *testing.T, s *mgmtstub.Server, id string) []string {
	t.Helper()
	var seen []string
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		status, body := raw(t, s, "GET", "/api/v2/actions/actions/"+id, "")
		require.Equal(t, http.StatusOK, status, body)
		var a struct {
			Status string `json:"status"`
		}
		require.NoError(t, json.Unmarshal([]byte(body), &a))
		if len(seen) == 0 || seen[len(seen)-1] != a.Status {
			seen = append(seen, a.Status)
		}
		if a.Status == management.ActionStatusBuilt || a.Status == management.ActionStatusFailed {
			return seen
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("action %s: the build did not end in 30s (statuses %v)", id, seen)
	return nil
}

// createBuilt creates a with m and waits until it is built.
func createBuilt(t *testing.T, s *mgmtstub.Server, m *management.Management, a *management.Action) {
	t.Helper()
	require.NoError(t, m.Action.Create(context.Background(), a))
	seen := waitBuilt(t, s, a.GetID())
	require.Equal(t, management.ActionStatusBuilt, seen[len(seen)-1], "build of %s: statuses %v", a.GetName(), seen)
}

func postLoginAction(name, code string) *management.Action {
	return &management.Action{
		Name:              str(name),
		Code:              str(code),
		Runtime:           str("node18"),
		SupportedTriggers: []management.ActionTrigger{{ID: str("post-login"), Version: str("v3")}},
		Dependencies:      &[]management.ActionDependency{{Name: str("left-pad"), Version: str("1.3.0")}},
		Secrets:           &[]management.ActionSecret{{Name: str("TEST_TENANT_ID"), Value: str("very-secret-tenant")}},
	}
}

// raw sends a request with the stand-in's token and returns the status and
// body.
func raw(t *testing.T, s *mgmtstub.Server, method, path, body string) (int, string) {
	t.Helper()
	return rawAs(t, s, "Bearer "+s.Token(), method, path, body)
}

// rawAs is raw with auth as the Authorization header (none when empty).
func rawAs(t *testing.T, s *mgmtstub.Server, auth, method, path, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL()+path, strings.NewReader(body))
	require.NoError(t, err)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.Client().Do(req)
	require.NoError(t, err)
	defer func() { assert.NoError(t, resp.Body.Close()) }()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(data)
}

func TestCRUD(t *testing.T) {
	s := start(t, mgmtstub.Options{})
	m := client(t, s)
	ctx := context.Background()

	a := postLoginAction("mfa_action", "exports.onExecutePostLogin = async () => {};")
	require.NoError(t, m.Action.Create(ctx, a))
	require.NotEmpty(t, a.GetID())
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, a.GetID(), "id: want a UUID as Auth0's")
	assert.Equal(t, management.ActionStatusPending, a.GetStatus(), "status right after create")
	assert.False(t, a.AllChangesDeployed, "a new action has nothing deployed")

	t.Run("read reports built and hides secret values", func(t *testing.T) {
		waitBuilt(t, s, a.GetID())
		got, err := m.Action.Read(ctx, a.GetID())
		require.NoError(t, err)
		assert.Equal(t, management.ActionStatusBuilt, got.GetStatus())
		assert.Equal(t, "node18", got.GetRuntime())
		require.Len(t, got.GetSecrets(), 1)
		assert.Equal(t, "TEST_TENANT_ID", got.GetSecrets()[0].GetName())
		assert.Nil(t, got.GetSecrets()[0].Value, "secret value: got one, want none")
		assert.NotNil(t, got.GetSecrets()[0].UpdatedAt)
		assert.Equal(t, []management.ActionDependency{{Name: str("left-pad"), Version: str("1.3.0")}}, got.GetDependencies())
		assert.Equal(t, map[string]string{"TEST_TENANT_ID": "very-secret-tenant"}, s.SecretValues(a.GetID()))
		assert.NotNil(t, got.CreatedAt)
	})

	t.Run("no secret value in any answer", func(t *testing.T) {
		for _, path := range []string{"/api/v2/actions/actions", "/api/v2/actions/actions/" + a.GetID()} {
			_, body := raw(t, s, "GET", path, "")
			assert.NotContains(t, body, "very-secret-tenant", "GET %s", path)
		}
	})

	t.Run("update keeps a secret given without a value", func(t *testing.T) {
		require.NoError(t, m.Action.Update(ctx, a.GetID(), &management.Action{
			Code:    str("exports.onExecutePostLogin = async () => { /* 2 */ };"),
			Secrets: &[]management.ActionSecret{{Name: str("TEST_TENANT_ID")}, {Name: str("FORCE_MFA_EMAIL_DOMAIN"), Value: str("x.example")}},
		}))
		assert.Equal(t, map[string]string{"TEST_TENANT_ID": "very-secret-tenant", "FORCE_MFA_EMAIL_DOMAIN": "x.example"}, s.SecretValues(a.GetID()))
	})

	t.Run("list pages", func(t *testing.T) {
		b := postLoginAction("add_ip_to_metadata", "exports.onExecutePostLogin = async () => {};")
		require.NoError(t, m.Action.Create(ctx, b))
		var names []string
		for page := 0; page < 5; page++ {
			l, err := m.Action.List(ctx, management.Page(page), management.PerPage(1))
			require.NoError(t, err)
			if len(l.Actions) == 0 {
				assert.Zero(t, l.Total, "a page past the end carries no total, as Auth0's")
				break
			}
			assert.Equal(t, 2, l.Total)
			names = append(names, l.Actions[0].GetName())
		}
		assert.Equal(t, []string{"mfa_action", "add_ip_to_metadata"}, names)
		l, err := m.Action.List(ctx, management.Parameter("actionName", "add_ip_to_metadata"))
		require.NoError(t, err)
		require.Len(t, l.Actions, 1)
		assert.Equal(t, b.GetID(), l.Actions[0].GetID())
	})

	t.Run("duplicate name is a conflict", func(t *testing.T) {
		err := m.Action.Create(ctx, postLoginAction("mfa_action", ""))
		requireStatus(t, err, http.StatusConflict)
	})

	t.Run("delete", func(t *testing.T) {
		c := postLoginAction("doomed", "")
		require.NoError(t, m.Action.Create(ctx, c))
		require.NoError(t, m.Action.Delete(ctx, c.GetID()))
		_, err := m.Action.Read(ctx, c.GetID())
		requireStatus(t, err, http.StatusNotFound)
	})

	t.Run("snapshot sorted by name", func(t *testing.T) {
		var names []string
		for _, a := range s.Actions() {
			names = append(names, a.GetName())
			for _, sec := range a.GetSecrets() {
				assert.Nil(t, sec.Value, "secret %s of %s has a value in the snapshot", sec.GetName(), a.GetName())
			}
		}
		assert.Equal(t, []string{"add_ip_to_metadata", "mfa_action"}, names)
	})
}

func requireStatus(t *testing.T, err error, status int) {
	t.Helper()
	require.Error(t, err)
	var mErr management.Error
	require.ErrorAs(t, err, &mErr)
	assert.Equal(t, status, mErr.Status(), "status: got %d, want %d (%v)", mErr.Status(), status, err)
}

func TestDeploy(t *testing.T) {
	s := start(t, mgmtstub.Options{})
	m := client(t, s)
	ctx := context.Background()
	a := postLoginAction("mfa_action", "exports.onExecutePostLogin = async () => {};")
	createBuilt(t, s, m, a)
	_, ok := s.Deployed("mfa_action")
	assert.False(t, ok, "deployed code before any deploy")

	v, err := m.Action.Deploy(ctx, a.GetID())
	require.NoError(t, err)
	assert.Equal(t, 1, v.Number)
	assert.Equal(t, a.GetCode(), v.GetCode())

	got, err := m.Action.Read(ctx, a.GetID())
	require.NoError(t, err)
	require.NotNil(t, got.DeployedVersion, "deployed_version after deploy")
	assert.True(t, got.DeployedVersion.Deployed)
	assert.Equal(t, v.GetID(), got.DeployedVersion.GetID())
	assert.True(t, got.AllChangesDeployed, "all_changes_deployed right after deploy")
	d, ok := s.Deployed("mfa_action")
	assert.True(t, ok)
	assert.Equal(t, a.GetCode(), d.Code)

	t.Run("deployed_version carries the runtime", func(t *testing.T) {
		_, body := raw(t, s, "GET", "/api/v2/actions/actions/"+a.GetID(), "")
		var doc struct {
			DeployedVersion struct {
				Runtime string `json:"runtime"`
			} `json:"deployed_version"`
		}
		require.NoError(t, json.Unmarshal([]byte(body), &doc))
		assert.Equal(t, "node18", doc.DeployedVersion.Runtime)
	})

	t.Run("a change after deploy is not deployed", func(t *testing.T) {
		require.NoError(t, m.Action.Update(ctx, a.GetID(), &management.Action{Code: str("exports.onExecutePostLogin = async () => { /* 2 */ };")}))
		got, err := m.Action.Read(ctx, a.GetID())
		require.NoError(t, err)
		assert.False(t, got.AllChangesDeployed)
		assert.Equal(t, a.GetCode(), got.DeployedVersion.GetCode(), "deployed code changes only on deploy")
		waitBuilt(t, s, a.GetID())
		v2, err := m.Action.Deploy(ctx, a.GetID())
		require.NoError(t, err)
		assert.Equal(t, 2, v2.Number)
		versions, err := m.Action.Versions(ctx, a.GetID())
		require.NoError(t, err)
		assert.Len(t, versions.Versions, 2)
	})
}

func TestBindings(t *testing.T) {
	s := start(t, mgmtstub.Options{})
	m := client(t, s)
	ctx := context.Background()
	var ids []string
	for _, name := range []string{"a1", "a2", "a3"} {
		a := postLoginAction(name, "")
		createBuilt(t, s, m, a)
		_, err := m.Action.Deploy(ctx, a.GetID())
		require.NoError(t, err)
		ids = append(ids, a.GetID())
	}
	byID, byName := management.ActionBindingReferenceByID, management.ActionBindingReferenceByName
	require.NoError(t, m.Action.UpdateBindings(ctx, "post-login", []*management.ActionBinding{
		{Ref: &management.ActionBindingReference{Type: &byID, Value: &ids[2]}, DisplayName: str("third")},
		{Ref: &management.ActionBindingReference{Type: &byName, Value: str("a1")}},
		{Ref: &management.ActionBindingReference{Type: &byID, Value: &ids[1]}},
	}))

	t.Run("in order, each with its action", func(t *testing.T) {
		got := s.Bindings("post-login")
		require.Len(t, got, 3)
		var names, displays []string
		for _, b := range got {
			names = append(names, b.Action.GetName())
			displays = append(displays, b.GetDisplayName())
			assert.NotEmpty(t, b.GetID())
			assert.Equal(t, "post-login", b.GetTriggerID())
			assert.NotNil(t, b.CreatedAt)
		}
		assert.Equal(t, []string{"a3", "a1", "a2"}, names)
		assert.Equal(t, []string{"third", "a1", "a2"}, displays, "display_name defaults to the action's name")
	})

	t.Run("paging ends", func(t *testing.T) {
		var names []string
		for page := 0; page < 10; page++ {
			l, err := m.Action.Bindings(ctx, "post-login", management.Page(page), management.PerPage(2))
			require.NoError(t, err)
			if len(l.Bindings) == 0 {
				assert.Equal(t, 0, l.Total, "a page past the end carries no total, as Auth0's")
				break
			}
			assert.Equal(t, 3, l.Total)
			for _, b := range l.Bindings {
				names = append(names, b.Action.GetName())
			}
		}
		assert.Equal(t, []string{"a3", "a1", "a2"}, names)
		_, body := raw(t, s, "GET", "/api/v2/actions/triggers/post-login/bindings?page=1&per_page=2", "")
		assert.Contains(t, body, `"total":3,"page":1,"per_page":2`)
	})

	t.Run("HasNext ends paging as the auth0 provider pages", func(t *testing.T) {
		var names []string
		pages := 0
		for page := 0; pages < 10; page++ {
			l, err := m.Action.Bindings(ctx, "post-login", management.Page(page), management.PerPage(100))
			require.NoError(t, err)
			pages++
			for _, b := range l.Bindings {
				names = append(names, b.Action.GetName())
			}
			if !l.HasNext() {
				break
			}
		}
		assert.Equal(t, 2, pages, "pages read: the bindings, then an empty page without a total")
		assert.Equal(t, []string{"a3", "a1", "a2"}, names)
	})

	t.Run("refused", func(t *testing.T) {
		undeployed := postLoginAction("draft", "")
		require.NoError(t, m.Action.Create(ctx, undeployed))
		for name, tt := range map[string]struct {
			trigger string
			ref     management.ActionBindingReference
			status  int
		}{
			"undeployed action": {"post-login", management.ActionBindingReference{Type: &byID, Value: str(undeployed.GetID())}, 400},
			"unknown action":    {"post-login", management.ActionBindingReference{Type: &byName, Value: str("nope")}, 400},
			"another trigger":   {"pre-user-registration", management.ActionBindingReference{Type: &byID, Value: &ids[0]}, 400},
			"unknown trigger":   {"no-such-trigger", management.ActionBindingReference{Type: &byID, Value: &ids[0]}, 404},
		} {
			t.Run(name, func(t *testing.T) {
				err := m.Action.UpdateBindings(ctx, tt.trigger, []*management.ActionBinding{{Ref: &tt.ref}})
				requireStatus(t, err, tt.status)
			})
		}
		assert.Len(t, s.Bindings("post-login"), 3, "a refused update changes nothing")
	})

	t.Run("a bound action is not deleted", func(t *testing.T) {
		requireStatus(t, m.Action.Delete(ctx, ids[0]), http.StatusConflict)
		require.NoError(t, m.Action.Delete(ctx, ids[0], management.Parameter("force", "true")))
		assert.Len(t, s.Bindings("post-login"), 2, "force deletes the bindings too")
	})
}

// TestErrorBodies: every error is Auth0's JSON body.
func TestErrorBodies(t *testing.T) {
	s := start(t, mgmtstub.Options{})
	for name, tt := range map[string]struct {
		method, path, body, token string
		status                    int
		message                   string
	}{
		"no token":        {"GET", "/api/v2/actions/actions", "", "-", 401, "Missing authentication"},
		"wrong token":     {"GET", "/api/v2/actions/actions", "", "wrong", 401, "Invalid token"},
		"unknown action":  {"GET", "/api/v2/actions/actions/nope", "", "", 404, "That action does not exist."},
		"unknown route":   {"GET", "/api/v2/users", "", "", 404, "Not Found: the stand-in serves no GET /api/v2/users"},
		"bad JSON":        {"POST", "/api/v2/actions/actions", "{", "", 400, ""},
		"no name":         {"POST", "/api/v2/actions/actions", `{"code": ""}`, "", 400, "Payload validation error: 'Missing required property: name'."},
		"bad per_page":    {"GET", "/api/v2/actions/actions?per_page=1000", "", "", 400, ""},
		"test not object": {"POST", "/api/v2/actions/actions/nope/test", `{"payload": 3}`, "", 400, ""},
	} {
		t.Run(name, func(t *testing.T) {
			auth := "Bearer " + s.Token()
			switch tt.token {
			case "":
			case "-":
				auth = ""
			default:
				auth = "Bearer " + tt.token
			}
			status, answer := rawAs(t, s, auth, tt.method, tt.path, tt.body)
			var body struct {
				StatusCode int    `json:"statusCode"`
				Error      string `json:"error"`
				Message    string `json:"message"`
			}
			require.NoError(t, json.Unmarshal([]byte(answer), &body), "body %s", answer)
			assert.Equal(t, tt.status, status)
			assert.Equal(t, tt.status, body.StatusCode, "statusCode in the body")
			assert.Equal(t, http.StatusText(tt.status), body.Error)
			if tt.message != "" {
				assert.Equal(t, tt.message, body.Message)
			} else {
				assert.NotEmpty(t, body.Message)
			}
		})
	}
}

// TestNullBodies: go-auth0 sends the body null on GET and deploy.
func TestNullBodies(t *testing.T) {
	s := start(t, mgmtstub.Options{})
	m := client(t, s)
	a := postLoginAction("mfa_action", "")
	createBuilt(t, s, m, a)
	for _, req := range []struct{ method, path string }{
		{"GET", "/api/v2/actions/actions/" + a.GetID()},
		{"POST", "/api/v2/actions/actions/" + a.GetID() + "/deploy"},
		{"GET", "/api/v2/actions/triggers/post-login/bindings"},
		{"GET", "/api/v2/actions/actions"},
	} {
		t.Run(req.method+" "+req.path, func(t *testing.T) {
			status, body := raw(t, s, req.method, req.path, "null")
			assert.Equal(t, http.StatusOK, status, "body %s", body)
		})
	}
}

func TestFaults(t *testing.T) {
	ctx := context.Background()
	t.Run("429 is retried by go-auth0 and then succeeds", func(t *testing.T) {
		s := start(t, mgmtstub.Options{})
		m := client(t, s)
		s.FailNext(2, http.StatusTooManyRequests, "GET", "/api/v2/actions/actions")
		_, err := m.Action.List(ctx)
		require.NoError(t, err)
		assert.Len(t, s.Requests(), 3, "requests: two 429s, then the answer")
	})
	t.Run("429 carries Auth0's rate limit headers", func(t *testing.T) {
		s := start(t, mgmtstub.Options{})
		s.FailNext(1, http.StatusTooManyRequests, "", "")
		req, err := http.NewRequest("GET", s.URL()+"/api/v2/actions/actions", nil)
		require.NoError(t, err)
		resp, err := s.Client().Do(req)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
		for _, h := range []string{"Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"} {
			assert.NotEmpty(t, resp.Header.Get(h), "header %s", h)
		}
	})
	t.Run("500 only where it matches", func(t *testing.T) {
		s := start(t, mgmtstub.Options{})
		m := client(t, s)
		s.FailNext(1, http.StatusInternalServerError, "GET", "/api/v2/actions/triggers")
		_, err := m.Action.List(ctx)
		require.NoError(t, err, "a request the fault does not match")
		_, err = m.Action.Bindings(ctx, "post-login")
		requireStatus(t, err, http.StatusInternalServerError)
		_, err = m.Action.Bindings(ctx, "post-login")
		require.NoError(t, err, "the fault answers only once")
	})
	t.Run("closed is unreachable", func(t *testing.T) {
		s, err := mgmtstub.Start(mgmtstub.Options{})
		require.NoError(t, err)
		m := client(t, s, management.WithNoRetries())
		require.NoError(t, s.Close())
		require.NoError(t, s.Close(), "closing twice")
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		_, err = m.Action.List(ctx)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "connection refused")
	})
}
