// Package tenant reads an Auth0 tenant's actions and bindings through the
// Management API (github.com/auth0/go-auth0) and compares them with a build:
// Verify checks that the tenant runs exactly what build/manifest.json
// describes; Smoke runs the shared cases through Auth0's "test an action".
// Neither writes to the tenant.
package tenant

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/auth0/go-auth0/management"
	"golang.org/x/oauth2"
)

// Environment variables that name the tenant and its credentials.
const (
	EnvDomain       = "AUTH0_DOMAIN"
	EnvClientID     = "AUTH0_CLIENT_ID"
	EnvClientSecret = "AUTH0_CLIENT_SECRET"
	EnvAPIToken     = "AUTH0_API_TOKEN"
)

// The scopes the commands need: verify reads; smoke reads and runs "test
// an action", which Auth0's API reference lists under create:actions.
const (
	ScopeRead   = "read:actions"
	ScopeCreate = "create:actions"
)

// RequestTimeout bounds one HTTP request to the tenant.
const RequestTimeout = 30 * time.Second

// Retries is how often a request is retried after a 429 or a connection
// error (go-auth0's backoff between tries).
const Retries = 2

// Credentials name a tenant and how to authenticate to it: a Management API
// token, or a client id and secret for the client credentials grant.
type Credentials struct {
	Domain       string
	ClientID     string
	ClientSecret string
	Token        string
}

// FromEnv reads credentials with getenv (os.Getenv): AUTH0_DOMAIN and
// either AUTH0_API_TOKEN or AUTH0_CLIENT_ID with AUTH0_CLIENT_SECRET.
func FromEnv(getenv func(string) string) (Credentials, error) {
	c := Credentials{
		Domain: strings.TrimSpace(getenv(EnvDomain)), ClientID: getenv(EnvClientID),
		ClientSecret: getenv(EnvClientSecret), Token: getenv(EnvAPIToken),
	}
	var missing []string
	if c.Domain == "" {
		missing = append(missing, EnvDomain)
	}
	switch {
	case c.Token != "":
	case c.ClientID != "" && c.ClientSecret != "":
	case c.ClientID != "":
		missing = append(missing, EnvClientSecret)
	case c.ClientSecret != "":
		missing = append(missing, EnvClientID)
	default:
		missing = append(missing, EnvAPIToken+" (or "+EnvClientID+" and "+EnvClientSecret+")")
	}
	if len(missing) > 0 {
		return Credentials{}, fmt.Errorf("tenant credentials: set %s in the environment "+
			"(%s is the tenant's domain, e.g. floatme.us.auth0.com; the token or client needs %s for verify, and %s too for smoke)",
			strings.Join(missing, " and "), EnvDomain, ScopeRead, ScopeCreate)
	}
	return c, nil
}

// DefaultHTTPClient is the client used to reach a tenant: system roots,
// each request bounded by RequestTimeout.
func DefaultHTTPClient() *http.Client {
	return &http.Client{Timeout: RequestTimeout}
}

// Connect returns a Management API client for c that sends its requests
// (and the token request, for client credentials) through hc, each retry
// with its own copy of the request body.
func Connect(ctx context.Context, c Credentials, hc *http.Client) (*management.Management, error) {
	hc = withFreshBodies(hc)
	opts := []management.Option{
		management.WithClient(hc),
		management.WithRetries(Retries, []int{http.StatusTooManyRequests}),
	}
	if c.Token != "" {
		opts = append(opts, management.WithStaticToken(c.Token))
	} else {
		ctx = context.WithValue(ctx, oauth2.HTTPClient, hc)
		opts = append(opts, management.WithClientCredentials(ctx, c.ClientID, c.ClientSecret))
	}
	m, err := management.New(c.Domain, opts...)
	if err != nil {
		return nil, fmt.Errorf("tenant %s: %w (check %s)", c.Domain, err, EnvDomain)
	}
	return m, nil
}

// explain turns an error from a request to the tenant into one that says
// which side failed and what to do; scope is the scope the request needs.
func explain(domain, what, scope string, err error) error {
	var mErr management.Error
	if errors.As(err, &mErr) {
		switch s := mErr.Status(); {
		case s == http.StatusUnauthorized:
			return fmt.Errorf("tenant %s refused the credentials while %s: %w (check %s, or %s and %s)", domain, what, err, EnvAPIToken, EnvClientID, EnvClientSecret)
		case s == http.StatusForbidden:
			return fmt.Errorf("tenant %s forbade %s: %w (the token or client needs the %s scope)", domain, what, err, scope)
		case s == http.StatusTooManyRequests:
			return fmt.Errorf("tenant %s is rate limiting (429) %s, still after %d retries: %w (wait a minute and run again)", domain, what, Retries, err)
		case s >= 500:
			return fmt.Errorf("tenant %s failed (%d, Auth0's side) %s: %w (run again later; check Auth0's status page if it persists)", domain, s, what, err)
		default:
			return fmt.Errorf("tenant %s answered %d %s: %w", domain, s, what, err)
		}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("tenant %s did not answer in time %s: %w (check %s and the network)", domain, what, err, EnvDomain)
	}
	return fmt.Errorf("cannot reach tenant %s %s: %w (check %s and the network)", domain, what, err, EnvDomain)
}
