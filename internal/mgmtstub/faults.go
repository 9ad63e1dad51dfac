package mgmtstub

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// fault answers the next n requests that match it with status.
type fault struct {
	n, status  int
	method     string // "" for any
	pathPrefix string // "" for any
}

// FailNext answers the next n requests whose method is method ("" for any)
// and whose path starts with pathPrefix ("" for any; e.g.
// "/api/v2/actions/triggers") with status: 429 as Auth0's rate limit does
// (Retry-After and X-RateLimit-* headers), anything else with Auth0's error
// body for that status. Faults queue: the first that matches answers.
func (s *Server) FailNext(n, status int, method, pathPrefix string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &fault{n: n, status: status, method: method, pathPrefix: pathPrefix})
}

// takeFault returns the status of the first fault matching r, using one of
// its answers, and false when none matches.
func (s *Server) takeFault(r *http.Request) (int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if f.method != "" && f.method != r.Method || !strings.HasPrefix(r.URL.Path, f.pathPrefix) {
			continue
		}
		f.n--
		if f.n <= 0 {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
		}
		return f.status, true
	}
	return 0, false
}

// writeFault answers with an injected fault.
func writeFault(w http.ResponseWriter, status int) {
	switch status {
	case http.StatusTooManyRequests:
		reset := time.Now().Add(time.Second).Unix()
		w.Header().Set("Retry-After", "1")
		w.Header().Set("X-RateLimit-Limit", "50")
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(reset, 10))
		writeError(w, status, "too_many_requests", "Global limit has been reached")
	case http.StatusInternalServerError:
		writeError(w, status, "", "An internal server error occurred (injected by the stand-in)")
	default:
		writeError(w, status, "", "injected by the stand-in")
	}
}
