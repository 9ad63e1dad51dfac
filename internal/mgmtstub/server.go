// Package mgmtstub is a local stand-in for the Auth0 Management API's
// actions endpoints, for tests: HTTPS on loopback with a certificate from a
// CA it makes in memory, Bearer token auth with scopes, Auth0's JSON shapes
// (go-auth0's management types) and error bodies, builds that install an
// action's dependencies with a real installer, "test an action" run in a
// real Node 18, a rate limit, and fault injection (429, 500, an unreachable
// tenant).
//
// It answers as recordings of real Auth0 traffic do (go-auth0's and the
// auth0 Terraform provider's test cassettes): unknown query parameters
// refused with a 400, builds going pending, building, built (or retrying,
// failed), deploying an unbuilt draft refused, deleting a bound action a
// 409, Auth0's 404 and 403 bodies, and the test endpoint's payload of
// error and stats only. Where the recordings are silent the behaviour is a
// guess, and the doc comment where it is implemented says so.
//
// What it serves, under /api/v2 (the scope each needs; query parameters):
//
//	POST   /actions/actions                      create:actions  create (status "pending", then built in the background)
//	GET    /actions/actions                      read:actions    list: triggerId, actionName, deployed, page, per_page, installed
//	GET    /actions/actions/{id}                 read:actions    read (secrets by name and updated_at only)
//	PATCH  /actions/actions/{id}                 update:actions  update (rebuilds when what a version holds changed)
//	DELETE /actions/actions/{id}                 delete:actions  delete: force (a bound action is a 409 without it)
//	POST   /actions/actions/{id}/deploy          update:actions  deploy the built draft as a new version
//	GET    /actions/actions/{id}/versions[/{v}]  read:actions    versions: page, per_page
//	POST   /actions/actions/{id}/test            create:actions  run the built draft in Node 18 (see TestResult)
//	GET    /actions/triggers                     read:actions    the triggers
//	GET    /actions/triggers/{trigger}/bindings  read:actions    bindings: page, per_page
//	PATCH  /actions/triggers/{trigger}/bindings  update:actions  replace the bindings
//
// and POST /oauth/token for a client credentials grant.
package mgmtstub

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Options configures a stand-in.
type Options struct {
	// Token is the Bearer token the API accepts; empty: a random one.
	Token string
	// Node is the node binary that runs "test an action"; empty: the
	// repository's node_modules/node18/bin/node (installed by npm ci).
	Node string
	// ClientID and ClientSecret are the client credentials POST
	// /oauth/token accepts; empty: "stub-client" and a random secret.
	ClientID, ClientSecret string
	// Scopes are the scopes of Token and of the token /oauth/token issues;
	// nil: AllScopes.
	Scopes []string
	// BuildTime is how long a build takes from a change to "built" (or to
	// "failed"); zero: DefaultBuildTime.
	BuildTime time.Duration
	// Installer installs an action's dependencies when it builds; nil: none
	// can be installed, and a build with dependencies fails.
	Installer Installer
	// TestLogs adds the action's console output to the answers of "test an
	// action" as payload.logs. Off, the payload is what the recordings show
	// (error and stats); whether Auth0 returns console output, and under
	// which key, is not recorded: on is a guess.
	TestLogs bool
	// RateLimit, when set, limits every request as Auth0 does (see
	// RateLimit); SetRateLimit changes it later.
	RateLimit *RateLimit
}

// Server is a running stand-in.
type Server struct {
	opts   Options
	ln     net.Listener
	http   *http.Server
	served chan error
	pool   *x509.CertPool
	caDir  string
	caFile string

	mu        sync.Mutex
	state     *state
	faults    []*fault
	requests  []Request
	tokens    map[string][]string // token -> its scopes
	bucket    *bucket
	closeErr  error
	closeOnce sync.Once

	builds   sync.WaitGroup  // running builds
	buildDir string          // each build's folder is under it
	ctx      context.Context // canceled by Close: builds stop
	cancel   context.CancelFunc
}

// Request is one request the stand-in received, as method and path (with
// the query).
type Request struct {
	Method string
	Path   string
}

// Start starts a stand-in on 127.0.0.1 on a free port.
func Start(opts Options) (*Server, error) {
	if opts.Node == "" {
		opts.Node = defaultNode()
	}
	if opts.Token == "" {
		opts.Token = "stub-" + newID()
	}
	if opts.ClientID == "" {
		opts.ClientID = "stub-client"
	}
	if opts.ClientSecret == "" {
		opts.ClientSecret = "stub-secret-" + newID()
	}
	if opts.Scopes == nil {
		opts.Scopes = AllScopes
	}
	if opts.BuildTime == 0 {
		opts.BuildTime = DefaultBuildTime
	}
	ca, err := newAuthority(time.Now())
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "mgmtstub-ca-")
	if err != nil {
		return nil, fmt.Errorf("stand-in CA folder: %w", err)
	}
	caFile := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(caFile, ca.caPEM, 0o644); err != nil {
		return nil, errors.Join(fmt.Errorf("stand-in CA file: %w", err), os.RemoveAll(dir))
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, errors.Join(fmt.Errorf("stand-in listener: %w", err), os.RemoveAll(dir))
	}
	s := &Server{
		opts: opts, ln: ln, served: make(chan error, 1),
		pool: ca.pool, caDir: dir, caFile: caFile, state: newState(),
		tokens: map[string][]string{opts.Token: opts.Scopes}, buildDir: filepath.Join(dir, "builds"),
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.SetRateLimit(opts.RateLimit)
	s.http = &http.Server{
		Handler:           s.handler(),
		TLSConfig:         &tls.Config{Certificates: []tls.Certificate{ca.server}, MinVersion: tls.VersionTLS12},
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          nil,
	}
	go func() { s.served <- s.http.ServeTLS(ln, "", "") }()
	return s, nil
}

// Domain is what a client's domain setting takes: "127.0.0.1:PORT".
func (s *Server) Domain() string { return s.ln.Addr().String() }

// URL is the stand-in's base URL: "https://127.0.0.1:PORT".
func (s *Server) URL() string { return "https://" + s.Domain() }

// CAFile is the path of the CA certificate (PEM), for SSL_CERT_FILE. Close
// removes it.
func (s *Server) CAFile() string { return s.caFile }

// Token is the Bearer token the stand-in accepts.
func (s *Server) Token() string { return s.opts.Token }

// Client returns an HTTP client that trusts the stand-in's CA.
func (s *Server) Client() *http.Client {
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			TLSClientConfig:   &tls.Config{RootCAs: s.pool, MinVersion: tls.VersionTLS12},
			ForceAttemptHTTP2: true,
		},
	}
}

// Requests returns every request received so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Close stops the stand-in (its address then refuses connections, as an
// unreachable tenant) and its builds, and removes the CA file and the
// builds' folders. Calling it again returns the first call's result.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		err := s.http.Close()
		if served := <-s.served; served != nil && !errors.Is(served, http.ErrServerClosed) {
			err = errors.Join(err, served)
		}
		s.cancel()
		s.builds.Wait()
		s.closeErr = errors.Join(err, os.RemoveAll(s.caDir))
	})
	return s.closeErr
}
