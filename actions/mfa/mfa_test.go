package mfa_test

import (
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/floatme/auth0-wasm-actions/actions/mfa"
	"github.com/floatme/auth0-wasm-actions/internal/abi"
)

// fields returns a request with every field missing but those in set.
func fields(set map[string]abi.Value) []abi.Value {
	in := make([]abi.Value, len(mfa.Contract.Reads))
	for path, v := range set {
		in[slices.Index(mfa.Contract.Reads, path)] = v
	}
	return in
}

// TestLoginCountBoundary covers the numbers JSON cannot carry (NaN, ±Inf)
// around "known and <= 1"; the MFA flag is set, so a count that is not a
// first login challenges.
func TestLoginCountBoundary(t *testing.T) {
	flag := abi.BoolValue(true)
	for _, tt := range []struct {
		count abi.Value
		want  string
	}{
		{abi.NumberValue(math.Inf(-1)), mfa.ReasonFirstLogin},
		{abi.NumberValue(-1), mfa.ReasonFirstLogin},
		{abi.NumberValue(math.Copysign(0, -1)), mfa.ReasonFirstLogin},
		{abi.NumberValue(1), mfa.ReasonFirstLogin},
		{abi.NumberValue(math.Nextafter(1, 2)), mfa.ReasonMFARequired},
		{abi.NumberValue(2), mfa.ReasonMFARequired},
		{abi.NumberValue(math.Inf(1)), mfa.ReasonMFARequired},
		{abi.NumberValue(math.NaN()), mfa.ReasonMFARequired}, // NaN is not <= 1
		{abi.StringValue("1"), mfa.ReasonMFARequired},
		{abi.KindValue(abi.Other), mfa.ReasonMFARequired},
	} {
		got := mfa.Decide(fields(map[string]abi.Value{
			"stats.logins_count":                 tt.count,
			"user.app_metadata.auth_require_mfa": flag,
		}))
		assert.Equal(t, tt.want, got.Reason, "logins_count %+v", tt.count)
	}
}

// TestChallengeRequestedByKind covers the kinds JSON cannot carry.
func TestChallengeRequestedByKind(t *testing.T) {
	count := abi.NumberValue(5)
	for _, tt := range []struct {
		v    abi.Value
		want string
	}{
		{abi.NumberValue(math.NaN()), mfa.ReasonChallengeRequest}, // not 0
		{abi.NumberValue(math.Copysign(0, -1)), mfa.ReasonNotRequired},
		{abi.KindValue(abi.Other), mfa.ReasonChallengeRequest},
		{abi.KindValue(abi.Missing), mfa.ReasonNotRequired},
	} {
		got := mfa.Decide(fields(map[string]abi.Value{"stats.logins_count": count, "request.body.challengeRequired": tt.v}))
		assert.Equal(t, tt.want, got.Reason, "challengeRequired %+v", tt.v)
	}
}
