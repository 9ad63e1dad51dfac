package ipmeta_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/floatme/auth0-wasm-actions/actions/ipmeta"
	"github.com/floatme/auth0-wasm-actions/internal/abi"
)

func TestCanonicalIP(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want string // "" when invalid
	}{
		{"203.0.113.7", "203.0.113.7"},
		{"2001:DB8:0:0:0:0:0:1", "2001:db8::1"},
		{"::ffff:203.0.113.7", "203.0.113.7"},
		{"::FFFF:CB00:7107", "203.0.113.7"},
		{"0000:0000:0000:0000:0000:ffff:255.255.255.255", "255.255.255.255"}, // 45 bytes, the longest
		{"203.0.113.7:443", ""},
		{"[2001:db8::1]:443", ""},
		{"203.0.113.7, 198.51.100.1", ""},
		{"fe80::1%eth0", ""},
		{"fe80::1%", ""},
		{"::ffff:203.0.113.7%1", ""},
		{"203.0.113.7%eth0", ""},
		{"%", ""},
		{" 203.0.113.7", ""},
		{"203.000.113.7", ""},
		{"", ""},
		{strings.Repeat("0", 60) + "1.2.3.4", ""}, // over 64 bytes
	} {
		got, ok := ipmeta.CanonicalIP(abi.StringValue(tt.in))
		assert.Equal(t, tt.want != "", ok, "CanonicalIP(%q) ok", tt.in)
		assert.Equal(t, tt.want, got, "CanonicalIP(%q)", tt.in)
	}
}

func TestCanonicalIPNeedsAString(t *testing.T) {
	for _, v := range []abi.Value{abi.KindValue(abi.Missing), abi.KindValue(abi.Null), abi.NumberValue(1), abi.KindValue(abi.Array)} {
		_, ok := ipmeta.CanonicalIP(v)
		assert.False(t, ok, "kind %s", v.Kind)
	}
}
