package tenant

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"
)

// waiter shares a budget of time to wait for the tenant's rate limit among
// a run's requests.
type waiter struct {
	mu   sync.Mutex
	left time.Duration
}

// wait waits until the rate limit err reports lets requests through again
// (X-RateLimit-Reset; a second when it does not say) and reports true, or
// reports false at once when err is no 429 or the wait would overrun the
// budget.
func (w *waiter) wait(ctx context.Context, err error) bool {
	var e *APIError
	if !errors.As(err, &e) || e.StatusCode != http.StatusTooManyRequests {
		return false
	}
	d := time.Until(e.ResetAt)
	if e.ResetAt.IsZero() || d < time.Second {
		d = time.Second
	}
	w.mu.Lock()
	if d > w.left {
		w.mu.Unlock()
		return false
	}
	w.left -= d
	w.mu.Unlock()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// stopsTheRun says whether err ends a whole smoke run rather than one case:
// the run's context ended, or the tenant refused the credentials or the
// scope, which every other case would meet too.
func stopsTheRun(ctx context.Context, err error) bool {
	var e *APIError
	return ctx.Err() != nil || errors.As(err, &e) && (e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden)
}
