package tenant

import (
	"bytes"
	"cmp"
	"io"
	"net/http"
)

// freshBodies gives every attempt of a request its own copy of the body.
// go-auth0 retries a 429 through rehttp, which rewinds one reader that all
// attempts share; when the tenant answers before it has read a large body
// (a rate-limited 200 kB "test an action" payload, seen against the
// stand-in), the earlier attempt's writer is still reading that reader, and
// the retry sends an empty body: "request declared a Content-Length of N
// but only wrote 0 bytes".
type freshBodies struct{ base http.RoundTripper }

func (f freshBodies) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return f.base.RoundTrip(req)
	}
	body, err := io.ReadAll(req.Body)
	if cerr := req.Body.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	attempt := req.Clone(req.Context())
	attempt.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	attempt.Body, _ = attempt.GetBody()
	attempt.ContentLength = int64(len(body))
	return f.base.RoundTrip(attempt)
}

// withFreshBodies returns a copy of hc whose transport is wrapped in
// freshBodies.
func withFreshBodies(hc *http.Client) *http.Client {
	c := *hc
	c.Transport = freshBodies{cmp.Or(hc.Transport, http.DefaultTransport)}
	return &c
}
