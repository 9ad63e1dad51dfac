package mgmtstub

import (
	"net/http"
	"strings"
)

// tokenAnswer is Auth0's answer to a client credentials grant.
type tokenAnswer struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int    `json:"expires_in"`
	Scope       string `json:"scope"`
}

// oauthError is Auth0's error body on /oauth/token.
type oauthError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

// issueToken answers POST /oauth/token: a client credentials grant for the
// stand-in's client (credentials in the form or as HTTP basic auth) gets the
// stand-in's token.
func (s *Server) issueToken(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, oauthError{"invalid_request", "the body is not a form: " + err.Error()})
		return
	}
	id, secret, basic := r.BasicAuth()
	if !basic {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	switch {
	case r.PostForm.Get("grant_type") != "client_credentials":
		writeJSON(w, http.StatusForbidden, oauthError{"unauthorized_client", "Grant type '" + r.PostForm.Get("grant_type") + "' not allowed for the client."})
	case id != s.opts.ClientID || secret != s.opts.ClientSecret:
		writeJSON(w, http.StatusUnauthorized, oauthError{"access_denied", "Unauthorized"})
	default:
		writeJSON(w, http.StatusOK, tokenAnswer{AccessToken: s.opts.Token, TokenType: "Bearer", ExpiresIn: 86400, Scope: strings.Join(s.opts.Scopes, " ")})
	}
}

// ClientID is the client id the stand-in's /oauth/token accepts.
func (s *Server) ClientID() string { return s.opts.ClientID }

// ClientSecret is the client secret the stand-in's /oauth/token accepts.
func (s *Server) ClientSecret() string { return s.opts.ClientSecret }
