package mgmtstub

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// maxBody bounds a request body; Auth0 refuses large action code too.
const maxBody = 16 << 20

// handler routes the API and wraps it in fault injection, the request log
// and Bearer auth.
func (s *Server) handler() http.Handler {
	mux := http.NewServeMux()
	const base = "/api/v2/actions"
	mux.HandleFunc("POST "+base+"/actions", s.createAction)
	mux.HandleFunc("GET "+base+"/actions", s.listActions)
	mux.HandleFunc("GET "+base+"/actions/{id}", s.readAction)
	mux.HandleFunc("PATCH "+base+"/actions/{id}", s.updateAction)
	mux.HandleFunc("DELETE "+base+"/actions/{id}", s.deleteAction)
	mux.HandleFunc("POST "+base+"/actions/{id}/deploy", s.deployAction)
	mux.HandleFunc("GET "+base+"/actions/{id}/versions", s.listVersions)
	mux.HandleFunc("GET "+base+"/actions/{id}/versions/{version}", s.readVersion)
	mux.HandleFunc("POST "+base+"/actions/{id}/test", s.testAction)
	mux.HandleFunc("GET "+base+"/triggers", s.listTriggers)
	mux.HandleFunc("GET "+base+"/triggers/{trigger}/bindings", s.listBindings)
	mux.HandleFunc("PATCH "+base+"/triggers/{trigger}/bindings", s.updateBindings)
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

// authorized checks the Bearer token, answering 401 as Auth0 does when it
// is missing or wrong.
func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	h := r.Header.Get("Authorization")
	if h == "" {
		writeError(w, http.StatusUnauthorized, "", "Missing authentication")
		return false
	}
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || token != s.opts.Token {
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
