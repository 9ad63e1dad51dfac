package mgmtstub

import (
	"math"
	"net/http"
	"strconv"
	"time"
)

// RateLimit is a token bucket: Limit requests at once, refilled at Limit
// per Window. Auth0 limits the Management API per tenant with the same
// headers on every answer (X-RateLimit-Limit, -Remaining, -Reset: the Unix
// second when a request is allowed again) and a 429 when the bucket is
// empty; the sizes, and Reset meaning "one request allowed again" rather
// than "the bucket full again", are guesses.
type RateLimit struct {
	Limit  int
	Window time.Duration
}

// bucket is a RateLimit's state.
type bucket struct {
	limit  RateLimit
	tokens float64
	at     time.Time // when tokens was last brought up to date
}

// SetRateLimit switches the rate limit on with rl (a full bucket), or off
// when rl is nil.
func (s *Server) SetRateLimit(rl *RateLimit) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rl == nil || rl.Limit < 1 || rl.Window <= 0 {
		s.bucket = nil
		return
	}
	s.bucket = &bucket{limit: *rl, tokens: float64(rl.Limit), at: time.Now()}
}

// admit takes a token for a request, setting the rate limit headers, and
// answers 429 and reports false when there is none.
func (s *Server) admit(w http.ResponseWriter) bool {
	s.mu.Lock()
	b := s.bucket
	if b == nil {
		s.mu.Unlock()
		return true
	}
	t := time.Now()
	perToken := b.limit.Window / time.Duration(b.limit.Limit)
	b.tokens = math.Min(float64(b.limit.Limit), b.tokens+float64(t.Sub(b.at))/float64(perToken))
	b.at = t
	ok := b.tokens >= 1
	if ok {
		b.tokens--
	}
	remaining := int(b.tokens)
	wait := time.Duration((1 - math.Min(b.tokens, 1)) * float64(perToken))
	limit := b.limit.Limit
	s.mu.Unlock()
	reset := t.Add(wait)
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(int64(math.Ceil(float64(reset.UnixNano())/1e9)), 10))
	if !ok {
		writeError(w, http.StatusTooManyRequests, "too_many_requests", "Global limit has been reached")
	}
	return ok
}
