package main

import (
	"context"
	"os"
	"time"

	"github.com/floatme/auth0-wasm-actions/internal/tenant"
)

// tenantHTTPClient returns the HTTP client verify and smoke reach the
// tenant with; tests replace it with one that trusts the stand-in's CA.
var tenantHTTPClient = tenant.DefaultHTTPClient

// tenantTimeout bounds a whole verify or smoke run.
const tenantTimeout = 10 * time.Minute

// connectTenant reads the credentials from the environment and returns a
// reader of the tenant.
func connectTenant(ctx context.Context) (tenant.Reader, error) {
	c, err := tenant.FromEnv(os.Getenv)
	if err != nil {
		return tenant.Reader{}, err
	}
	api, err := tenant.Connect(ctx, c, tenantHTTPClient())
	if err != nil {
		return tenant.Reader{}, err
	}
	return tenant.Reader{API: api, Domain: c.Domain}, nil
}
