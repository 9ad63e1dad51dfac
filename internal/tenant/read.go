package tenant

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/auth0/go-auth0/management"
)

// maxPages bounds every paged read, so a tenant whose paging never ends
// cannot keep a command running.
const maxPages = 100

// perPage is the page size of paged reads (Auth0's maximum).
const perPage = 100

// Action is an action as the API sends it, with the fields go-auth0's
// management.Action drops: all_changes_deployed when false, and the
// deployed version's runtime.
type Action struct {
	management.Action
	AllChangesDeployed bool     `json:"all_changes_deployed"`
	DeployedVersion    *Version `json:"deployed_version,omitempty"`
}

// Version is an action version as the API sends it.
type Version struct {
	management.ActionVersion
	Runtime string `json:"runtime,omitempty"`
}

// actionPage is one page of GET /actions/actions.
type actionPage struct {
	Actions []Action `json:"actions"`
	Total   int      `json:"total"`
}

// bindingPage is one page of GET /actions/triggers/{trigger}/bindings.
type bindingPage struct {
	Bindings []management.ActionBinding `json:"bindings"`
	Total    int                        `json:"total"`
}

func (p actionPage) items() []Action                    { return p.Actions }
func (p actionPage) total() int                         { return p.Total }
func (p bindingPage) items() []management.ActionBinding { return p.Bindings }
func (p bindingPage) total() int                        { return p.Total }

// page is one page of a list of T.
type page[T any] interface {
	items() []T
	total() int
}

// Reader reads a tenant.
type Reader struct {
	API    *management.Management
	Domain string
}

// Actions returns every action of the tenant, page by page (see list).
func (r Reader) Actions(ctx context.Context) ([]Action, error) {
	return list[Action, actionPage](ctx, r, "actions", []string{"actions", "actions"})
}

// Action reads one action by id: the full action, code included.
func (r Reader) Action(ctx context.Context, id string) (Action, error) {
	var a Action
	if err := r.call(ctx, "GET", nil, &a, []string{"actions", "actions", id}); err != nil {
		return Action{}, explain(r.Domain, "reading action "+id, ScopeRead, err)
	}
	return a, nil
}

// Bindings returns a trigger's bindings in order, page by page.
func (r Reader) Bindings(ctx context.Context, trigger string) ([]management.ActionBinding, error) {
	return list[management.ActionBinding, bindingPage](ctx, r, "the "+trigger+" bindings", []string{"actions", "triggers", trigger, "bindings"})
}

// list reads every page of the list at path (what names it in errors)
// with page and per_page only: the actions endpoints refuse any other
// parameter, include_totals included (a 400), yet send the total on every
// page that holds items. It stops at an empty or short page, or once the
// total is reached.
func list[T any, P page[T]](ctx context.Context, r Reader, what string, path []string) ([]T, error) {
	var all []T
	for n := 0; n < maxPages; n++ {
		var p P
		err := r.call(ctx, "GET", nil, &p, path,
			management.Parameter("page", strconv.Itoa(n)), management.Parameter("per_page", strconv.Itoa(perPage)))
		if err != nil {
			return nil, explain(r.Domain, "listing "+what, ScopeRead, err)
		}
		all = append(all, p.items()...)
		if len(p.items()) < perPage || p.total() > 0 && len(all) >= p.total() {
			return all, nil
		}
	}
	return nil, fmt.Errorf("tenant %s: more than %d pages of %s", r.Domain, maxPages, what)
}

// maxAnswer bounds an answer's size.
const maxAnswer = 64 << 20

// call sends one request through go-auth0 (its auth, retries and client)
// with body as its JSON body (none when nil: go-auth0's own Request would
// send the answer's variable as the body of a GET) and decodes the answer
// into into.
func (r Reader) call(ctx context.Context, method string, body []byte, into any, path []string, opts ...management.RequestOption) (err error) {
	req, err := r.API.NewRequest(ctx, method, r.API.URI(path...), nil, opts...)
	if err != nil {
		return err
	}
	if body != nil {
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.ContentLength = int64(len(body))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	resp, err := r.API.Do(req)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, resp.Body.Close()) }()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return fmt.Errorf("reading the answer: %w", err)
	}
	if resp.StatusCode >= http.StatusBadRequest {
		e := newAPIError(resp.StatusCode, data)
		if reset, err := strconv.ParseInt(resp.Header.Get("X-RateLimit-Reset"), 10, 64); err == nil {
			e.ResetAt = time.Unix(reset, 0)
		}
		return e
	}
	if err := json.Unmarshal(data, into); err != nil {
		return fmt.Errorf("the answer is not the JSON expected: %w", err)
	}
	return nil
}

// APIError is an error answer of the Management API.
type APIError struct {
	StatusCode int    `json:"statusCode"`
	Err        string `json:"error"`
	Message    string `json:"message"`
	ErrorCode  string `json:"errorCode"`
	// ResetAt is when the rate limit lets a request through again
	// (X-RateLimit-Reset); zero when the answer did not say.
	ResetAt time.Time `json:"-"`
}

func newAPIError(status int, body []byte) *APIError {
	e := &APIError{}
	if json.Unmarshal(body, e) != nil || e.StatusCode == 0 {
		e = &APIError{Message: strings.TrimSpace(string(body[:min(len(body), 200)]))}
	}
	e.StatusCode, e.Err = status, http.StatusText(status)
	return e
}

// Error formats e as go-auth0 does.
func (e *APIError) Error() string { return fmt.Sprintf("%d %s: %s", e.StatusCode, e.Err, e.Message) }

// Status returns the HTTP status; *APIError is a management.Error.
func (e *APIError) Status() int { return e.StatusCode }
