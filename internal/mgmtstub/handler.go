package mgmtstub

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// maxBody bounds a request body; Auth0 refuses large action code too.
const maxBody = 16 << 20

// The scopes of the Management API's actions endpoints.
const (
	ScopeRead   = "read:actions"
	ScopeCreate = "create:actions"
	ScopeUpdate = "update:actions"
	ScopeDelete = "delete:actions"
)

// AllScopes are the scopes a token has unless Options.Scopes says otherwise.
var AllScopes = []string{ScopeRead, ScopeCreate, ScopeUpdate, ScopeDelete, ScopeReadTenantSettings}

// Query parameters the endpoints accept: Auth0 refuses any other (the
// recordings and Auth0's deploy CLI show include_totals refused on the
// actions list).
var (
	listParams   = []string{"triggerId", "actionName", "deployed", "page", "per_page", "installed"}
	pageParams   = []string{"page", "per_page"}
	deleteParams = []string{"force"}
)

// route is one endpoint: its handler, the scope it needs and the query
// parameters it accepts.
type route struct {
	pattern string
	scope   string
	params  []string
	serve   http.HandlerFunc
}

// routes are the endpoints under /api/v2/actions, and the tenant's
// settings. The scopes follow Auth0's API reference ("test an action"
// needs create:actions); deploy needing update:actions is a guess the
// recordings cannot confirm.
func (s *Server) routes() []route {
	const base = "/api/v2/actions"
	return []route{
		{"POST " + base + "/actions", ScopeCreate, nil, s.createAction},
		{"GET " + base + "/actions", ScopeRead, listParams, s.listActions},
		{"GET " + base + "/actions/{id}", ScopeRead, nil, s.readAction},
		{"PATCH " + base + "/actions/{id}", ScopeUpdate, nil, s.updateAction},
		{"DELETE " + base + "/actions/{id}", ScopeDelete, deleteParams, s.deleteAction},
		{"POST " + base + "/actions/{id}/deploy", ScopeUpdate, nil, s.deployAction},
		{"GET " + base + "/actions/{id}/versions", ScopeRead, pageParams, s.listVersions},
		{"GET " + base + "/actions/{id}/versions/{version}", ScopeRead, nil, s.readVersion},
		{"POST " + base + "/actions/{id}/test", ScopeCreate, nil, s.testAction},
		{"GET " + base + "/triggers", ScopeRead, nil, s.listTriggers},
		{"GET " + base + "/triggers/{trigger}/bindings", ScopeRead, pageParams, s.listBindings},
		{"PATCH " + base + "/triggers/{trigger}/bindings", ScopeUpdate, nil, s.updateBindings},
		{"GET /api/v2/tenants/settings", ScopeReadTenantSettings, nil, s.tenantSettings},
	}
}

// handler routes the API and wraps it in the request log, fault injection,
// the rate limit and Bearer auth; each route checks its scope and query
// parameters before it runs.
func (s *Server) handler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.routes() {
		mux.HandleFunc(rt.pattern, func(w http.ResponseWriter, r *http.Request) {
			if s.permitted(w, r, rt.scope) && knownParams(w, r, rt.params) {
				rt.serve(w, r)
			}
		})
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		notFound(w, "Not Found: the stand-in serves no "+r.Method+" "+r.URL.Path)
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.RequestURI()})
		s.mu.Unlock()
		if status, ok := s.takeFault(r); ok {
			// Read the request before failing it, as a server behind a
			// buffering proxy does. Answered before its body is read, an HTTP/2
			// client retrying with the same body reader (the auth0
			// provider's rehttp) can race its own first attempt for it and
			// send an empty body.
			if _, err := io.Copy(io.Discard, r.Body); err != nil {
				badRequest(w, "Payload validation error: the body could not be read: "+err.Error())
				return
			}
			writeFault(w, status)
			return
		}
		if !s.admit(w) {
			return
		}
		if r.Method == http.MethodPost && r.URL.Path == "/oauth/token" {
			s.issueToken(w, r)
			return
		}
		if !s.authorized(w, r) {
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// knownParams answers 400 as Auth0 does when the query holds a parameter
// not in allowed, and reports whether it did not. The message is
// Auth0's; its errorCode, and listing several refused parameters in one
// message, comma separated, are guesses.
func knownParams(w http.ResponseWriter, r *http.Request, allowed []string) bool {
	var extra []string
	for name := range r.URL.Query() {
		if !slices.Contains(allowed, name) {
			extra = append(extra, name)
		}
	}
	if len(extra) == 0 {
		return true
	}
	slices.Sort(extra)
	writeError(w, http.StatusBadRequest, "invalid_query_string",
		"Query validation error: 'Additional properties not allowed: "+strings.Join(extra, ",")+"' on property query.")
	return false
}

// permitted answers 403 as Auth0 does when the request's token lacks
// scope, and reports whether it has it.
func (s *Server) permitted(w http.ResponseWriter, r *http.Request, scope string) bool {
	token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	s.mu.Lock()
	has := slices.Contains(s.tokens[token], scope)
	s.mu.Unlock()
	if !has {
		writeError(w, http.StatusForbidden, "insufficient_scope", "Insufficient scope, expected any of: "+scope)
	}
	return has
}

// TokenWith returns a new token the stand-in accepts, with only scopes.
func (s *Server) TokenWith(scopes ...string) string {
	token := "stub-scoped-" + newID()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[token] = slices.Clone(scopes)
	return token
}

// authorized checks the Bearer token, answering 401 as Auth0 does when it
// is missing or wrong.
func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	h := r.Header.Get("Authorization")
	if h == "" {
		writeError(w, http.StatusUnauthorized, "", "Missing authentication")
		return false
	}
	token, ok := strings.CutPrefix(h, "Bearer ")
	s.mu.Lock()
	_, known := s.tokens[token]
	s.mu.Unlock()
	if !ok || !known {
		writeError(w, http.StatusUnauthorized, "", "Invalid token")
		return false
	}
	return true
}

// readBody decodes a JSON body into v. An empty body or the body "null"
// (go-auth0 sends it on GET and deploy) leaves v as it is and reports
// false. A body that is not JSON answers 400 and reports an error.
func readBody(w http.ResponseWriter, r *http.Request, v any) (present bool, ok bool) {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		badRequest(w, "Payload validation error: the body could not be read: "+err.Error())
		return false, false
	}
	data = bytes.TrimSpace(data)
	if len(data) == 0 || string(data) == "null" {
		return false, true
	}
	if err := json.Unmarshal(data, v); err != nil {
		badRequest(w, "Payload validation error: 'Invalid JSON' on property body ("+err.Error()+").")
		return false, false
	}
	return true, true
}

// paging reads page and per_page (defaults 0 and 50, per_page at most
// 100), answering 400 when they are not numbers in range.
func paging(w http.ResponseWriter, r *http.Request) (page, perPage int, ok bool) {
	page, perPage = 0, 50
	for name, dst := range map[string]*int{"page": &page, "per_page": &perPage} {
		v := r.URL.Query().Get(name)
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || name == "per_page" && (n < 1 || n > 100) {
			writeError(w, http.StatusBadRequest, "invalid_query_string",
				"Query validation error: '"+name+"' must be a number in range ("+v+")")
			return 0, 0, false
		}
		*dst = n
	}
	return page, perPage, true
}

// window returns the bounds of page in a list of n items.
func window(n, page, perPage int) (lo, hi int) {
	if page > n {
		return n, n
	}
	lo = min(page*perPage, n)
	return lo, min(lo+perPage, n)
}
