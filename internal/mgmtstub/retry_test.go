package mgmtstub_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/rehttp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/internal/mgmtstub"
)

// TestRetriedWriteKeepsItsBody: a write that meets an injected 503 is
// retried as the auth0 provider retries (rehttp, replaying one body reader
// over HTTP/2), and every retry reaches the handler whole. A fault answered
// before the body is read lets the first attempt's body writer race the
// retry for the reader, and the retry then arrives empty.
func TestRetriedWriteKeepsItsBody(t *testing.T) {
	s := start(t, mgmtstub.Options{})
	a := postLoginAction("retried", "exports.onExecutePostLogin = async () => {};")
	createBuilt(t, s, client(t, s), a)
	retrying := &http.Client{Transport: rehttp.NewTransport(s.Client().Transport,
		rehttp.RetryAll(rehttp.RetryMaxRetries(3), rehttp.RetryStatuses(http.StatusServiceUnavailable)),
		rehttp.ConstDelay(time.Millisecond))}
	failed := 0
	for range 300 {
		s.FailNext(1, http.StatusServiceUnavailable, http.MethodPost, "/api/v2/actions/actions/")
		req, err := http.NewRequest(http.MethodPost, s.URL()+"/api/v2/actions/actions/"+a.GetID()+"/deploy", strings.NewReader("null\n"))
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+s.Token())
		req.Header.Set("Content-Type", "application/json")
		resp, err := retrying.Do(req)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		if resp.StatusCode != http.StatusOK {
			failed++
		}
	}
	assert.Zero(t, failed, "retried deploys answered other than 200, of 300")
}
