// Package mfa decides, at post-login, whether a user must pass an MFA
// challenge. Decide implements the decision table in the README; Contract
// declares what the action reads and may do.
package mfa

import (
	"strings"

	"github.com/floatme/auth0-wasm-actions/internal/abi"
	"github.com/floatme/auth0-wasm-actions/internal/contract"
	"github.com/floatme/auth0-wasm-actions/internal/text"
)

// DefaultForceMFADomain is the force-MFA domain when FORCE_MFA_EMAIL_DOMAIN is
// unset or empty.
const DefaultForceMFADomain = "forcemfa.floatme.io"

// Reason codes, one per row of the decision table.
const (
	ReasonForceMFADomain    = "force-mfa-domain"
	ReasonTestTenantRefresh = "test-tenant-refresh"
	ReasonIntegrationTest   = "integration-test-account"
	ReasonFirstLogin        = "first-login"
	ReasonMFARequired       = "mfa-required"
	ReasonChallengeRequest  = "challenge-requested"
	ReasonNotRequired       = "not-required"
)

// The fields Decide reads, by their index in Contract.Reads.
const (
	tenantID = iota
	protocol
	email
	loginsCount
	requireMFA
	challengeRequired
	testTenantID
	integrationDomain
	forceDomain
)

var challenge = abi.Call{Op: contract.OpMultifactorEnable, Args: []abi.Value{abi.StringValue("any")}}

// challengeCall is the one call a challenge makes: multifactor.enable("any").
var challengeCall = []contract.CallSpec{{
	Op:   contract.OpMultifactorEnable,
	Args: []contract.ArgSpec{{Kind: abi.String, OneOf: []abi.Value{abi.StringValue("any")}}},
}}

// Contract is mfa_action's contract. It fails closed: when the module
// fails, the user is challenged. Every challenge is guarded.
var Contract = contract.Contract{
	Action:  "mfa_action",
	Trigger: contract.PostLogin,
	Reads: []string{
		tenantID:          "tenant.id",
		protocol:          "transaction.protocol",
		email:             "user.email",
		loginsCount:       "stats.logins_count",
		requireMFA:        "user.app_metadata.auth_require_mfa",
		challengeRequired: "request.body.challengeRequired",
		testTenantID:      contract.SecretsPrefix + "TEST_TENANT_ID",
		integrationDomain: contract.SecretsPrefix + "INTEGRATION_TEST_EMAIL_DOMAIN",
		forceDomain:       contract.SecretsPrefix + "FORCE_MFA_EMAIL_DOMAIN",
	},
	Outcomes: []contract.Outcome{
		{Reason: ReasonForceMFADomain, Decision: "challenge", Calls: challengeCall},
		{Reason: ReasonTestTenantRefresh, Decision: "skip"},
		{Reason: ReasonIntegrationTest, Decision: "skip"},
		{Reason: ReasonFirstLogin, Decision: "skip"},
		{Reason: ReasonMFARequired, Decision: "challenge", Calls: challengeCall},
		{Reason: ReasonChallengeRequest, Decision: "challenge", Calls: challengeCall},
		{Reason: ReasonNotRequired, Decision: "skip"},
	},
	Fallback: []abi.Call{challenge},
	Guarded:  []contract.Guard{{Op: contract.OpMultifactorEnable}},
}

// Decide applies the decision table to in, the fields of Contract.Reads in
// order. The first matching row wins.
func Decide(in []abi.Value) abi.Result {
	testTenant := isTestTenant(in[tenantID], in[testTenantID])
	refresh := in[protocol].Equal(abi.StringValue("oauth2-refresh-token"))
	domain := emailDomain(in[email])
	switch {
	case testTenant && refresh && text.EqualFold(domain, configuredDomain(in[forceDomain], DefaultForceMFADomain)):
		return challengeFor(ReasonForceMFADomain)
	case testTenant && refresh:
		return skipFor(ReasonTestTenantRefresh)
	case testTenant && domain != "" && text.EqualFold(domain, configuredDomain(in[integrationDomain], "")):
		return skipFor(ReasonIntegrationTest)
	case in[loginsCount].Kind == abi.Number && in[loginsCount].Num <= 1:
		return skipFor(ReasonFirstLogin)
	case isMFAFlag(in[requireMFA]):
		return challengeFor(ReasonMFARequired)
	case requestsChallenge(in[challengeRequired]):
		return challengeFor(ReasonChallengeRequest)
	}
	return skipFor(ReasonNotRequired)
}

func challengeFor(reason string) abi.Result {
	return abi.Result{Reason: reason, Calls: []abi.Call{challenge}}
}

func skipFor(reason string) abi.Result { return abi.Result{Reason: reason} }

// isTestTenant reports whether the configured test tenant id is set and equals
// the event's tenant id exactly.
func isTestTenant(tenant, configured abi.Value) bool {
	want, ok := configured.AsString()
	return ok && want != "" && tenant.Equal(configured)
}

// emailDomain returns what follows the last "@" of the trimmed email, less
// one trailing dot, as it is written (compare it with text.EqualFold); ""
// when there is no such email.
func emailDomain(v abi.Value) string {
	s, ok := v.AsString()
	if !ok {
		return ""
	}
	s = text.Trim(s)
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		return ""
	}
	return strings.TrimSuffix(s[at+1:], ".")
}

// configuredDomain returns the domain a secret configures (text.Domain), or
// def when the secret is unset, empty or not a string.
func configuredDomain(v abi.Value, def string) string {
	if s, ok := v.AsString(); ok {
		if d := text.Domain(s); d != "" {
			return d
		}
	}
	return def
}

// isMFAFlag reports whether app_metadata.auth_require_mfa is true or "true".
func isMFAFlag(v abi.Value) bool {
	if v.Kind == abi.Bool {
		return v.Bool
	}
	s, ok := v.AsString()
	return ok && text.EqualFold(text.Trim(s), "true")
}

// requestsChallenge reports whether body.challengeRequired is present and
// not one of the falsy values the table lists.
func requestsChallenge(v abi.Value) bool {
	switch v.Kind {
	case abi.Missing, abi.Null:
		return false
	case abi.Bool:
		return v.Bool
	case abi.Number:
		return v.Num != 0
	case abi.String:
		s := text.Trim(v.Str)
		return s != "" && s != "0" && !text.EqualFold(s, "false")
	}
	return true
}
