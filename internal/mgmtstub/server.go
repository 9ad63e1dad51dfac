// Package mgmtstub is a local stand-in for the Auth0 Management API's
// actions endpoints, for tests: HTTPS on loopback with a certificate from a
// CA it makes in memory, Bearer token auth, Auth0's JSON shapes (go-auth0's
// management types) and error bodies, "test an action" run in a real Node
// 18, and fault injection (429, 500, an unreachable tenant).
//
// What it serves, under /api/v2:
//
//	POST   /actions/actions                      create (status "pending", "built" from the next read on)
//	GET    /actions/actions                      list: page, per_page, actionName, triggerId, deployed
//	GET    /actions/actions/{id}                 read (secrets by name and updated_at only)
//	PATCH  /actions/actions/{id}                 update
//	DELETE /actions/actions/{id}                 delete (refused while bound unless force=true)
//	POST   /actions/actions/{id}/deploy          deploy the draft as a new version
//	GET    /actions/actions/{id}/versions[/{v}]  versions
//	POST   /actions/actions/{id}/test            run the draft in Node 18 (see TestResult)
//	GET    /actions/triggers                     the triggers
//	GET    /actions/triggers/{trigger}/bindings  bindings: page, per_page
//	PATCH  /actions/triggers/{trigger}/bindings  replace the bindings
//
// and POST /oauth/token for a client credentials grant.
package mgmtstub

import (
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
	// NodeModules is NODE_PATH for the code under test, so that
	// require('<package>') resolves as in Auth0; empty: none.
	NodeModules string
	// ClientID and ClientSecret are the client credentials POST
	// /oauth/token accepts; empty: "stub-client" and a random secret.
	ClientID, ClientSecret string
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
	closeErr  error
	closeOnce sync.Once
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
	}
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
// unreachable tenant) and removes the CA file. Calling it again returns the
// first call's result.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		err := s.http.Close()
		if served := <-s.served; served != nil && !errors.Is(served, http.ErrServerClosed) {
			err = errors.Join(err, served)
		}
		s.closeErr = errors.Join(err, os.RemoveAll(s.caDir))
	})
	return s.closeErr
}
