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

// Reader reads a tenant.
type Reader struct {
	API    *management.Management
	Domain string
}

// Actions returns every action of the tenant, page by page until the total
// is reached or a page comes back empty.
func (r Reader) Actions(ctx context.Context) ([]Action, error) {
	var all []Action
	for page := 0; page < maxPages; page++ {
		var p actionPage
		if err := r.get(ctx, "listing actions", &p, []string{"actions", "actions"}, page); err != nil {
			return nil, err
		}
		all = append(all, p.Actions...)
		if len(p.Actions) == 0 || len(all) >= p.Total {
			return all, nil
		}
	}
	return nil, fmt.Errorf("tenant %s: more than %d pages of actions", r.Domain, maxPages)
}

// Action reads one action by id: the full action, code included.
func (r Reader) Action(ctx context.Context, id string) (Action, error) {
	var a Action
	if err := r.call(ctx, "GET", nil, &a, []string{"actions", "actions", id}); err != nil {
		return Action{}, explain(r.Domain, "reading action "+id, err)
	}
	return a, nil
}

// Bindings returns a trigger's bindings in order, page by page.
func (r Reader) Bindings(ctx context.Context, trigger string) ([]management.ActionBinding, error) {
	var all []management.ActionBinding
	for page := 0; page < maxPages; page++ {
		var p bindingPage
		if err := r.get(ctx, "listing the "+trigger+" bindings", &p, []string{"actions", "triggers", trigger, "bindings"}, page); err != nil {
			return nil, err
		}
		all = append(all, p.Bindings...)
		if len(p.Bindings) == 0 || len(all) >= p.Total {
			return all, nil
		}
	}
	return nil, fmt.Errorf("tenant %s: more than %d pages of %s bindings", r.Domain, maxPages, trigger)
}

// get reads one page of a list.
func (r Reader) get(ctx context.Context, what string, into any, path []string, page int) error {
	err := r.call(ctx, "GET", nil, into, path,
		management.Parameter("page", strconv.Itoa(page)), management.Parameter("per_page", strconv.Itoa(perPage)),
		management.Parameter("include_totals", "true"))
	if err != nil {
		return explain(r.Domain, what, err)
	}
	return nil
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
		return newAPIError(resp.StatusCode, data)
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
