// Package ipmeta records, at post-login, the login's IP address in the user's
// metadata (user_metadata.last_ip), writing only when it changed.
package ipmeta

import (
	"net/netip"
	"strings"

	"github.com/floatme/auth0-wasm-actions/internal/abi"
	"github.com/floatme/auth0-wasm-actions/internal/contract"
)

// Reason codes.
const (
	ReasonRecorded  = "recorded"
	ReasonUnchanged = "unchanged"
	ReasonNoValidIP = "no-valid-ip"
)

// MetadataKey is the user_metadata key the IP is written to.
const MetadataKey = "last_ip"

// MaxIPLen is the longest request.ip, in bytes, that is parsed at all.
const MaxIPLen = 64

// The fields Decide reads, by their index in Contract.Reads.
const (
	requestIP = iota
	lastIP
)

// Contract is add_ip_to_metadata's contract. Its fallback is nothing: a
// login is never blocked, nor metadata written, for analytics.
var Contract = contract.Contract{
	Action:  "add_ip_to_metadata",
	Trigger: contract.PostLogin,
	Reads: []string{
		requestIP: "request.ip",
		lastIP:    "user.user_metadata." + MetadataKey,
	},
	Outcomes: []contract.Outcome{
		{Reason: ReasonRecorded, Decision: "record", Calls: []contract.CallSpec{{
			Op: contract.OpSetUserMetadata,
			Args: []contract.ArgSpec{
				{Kind: abi.String, OneOf: []abi.Value{abi.StringValue(MetadataKey)}},
				{Kind: abi.String, MaxLen: MaxIPLen},
			},
		}}},
		{Reason: ReasonUnchanged, Decision: "skip"},
		{Reason: ReasonNoValidIP, Decision: "skip"},
	},
}

// Decide writes the canonical form of request.ip to last_ip unless the IP is
// not valid or last_ip already holds it.
func Decide(in []abi.Value) abi.Result {
	ip, ok := CanonicalIP(in[requestIP])
	switch {
	case !ok:
		return abi.Result{Reason: ReasonNoValidIP}
	case in[lastIP].Equal(abi.StringValue(ip)):
		return abi.Result{Reason: ReasonUnchanged}
	}
	return abi.Result{Reason: ReasonRecorded, Calls: []abi.Call{{
		Op:   contract.OpSetUserMetadata,
		Args: []abi.Value{abi.StringValue(MetadataKey), abi.StringValue(ip)},
	}}}
}

// CanonicalIP returns the canonical text of v when v is one IPv4 or IPv6
// address of at most MaxIPLen bytes, without port, list or zone: IPv6
// compressed and lower-case, IPv4-mapped IPv6 as IPv4. A zoned address
// (anything holding '%') is refused before it is parsed: netip.ParseAddr
// interns a zone (package unique), which TinyGo never frees, so every
// distinct zone an event sent would stay in the instance's memory.
func CanonicalIP(v abi.Value) (string, bool) {
	s, ok := v.AsString()
	if !ok || len(s) > MaxIPLen || strings.IndexByte(s, '%') >= 0 {
		return "", false
	}
	addr, err := netip.ParseAddr(s)
	if err != nil {
		return "", false
	}
	return addr.Unmap().String(), true
}
