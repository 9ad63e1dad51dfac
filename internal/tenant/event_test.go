package tenant

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/actions/mfa"
	"github.com/floatme/auth0-wasm-actions/internal/event"
)

func TestSampleEventsAreObjects(t *testing.T) {
	for _, trigger := range []string{"post-login", "pre-user-registration"} {
		t.Run(trigger, func(t *testing.T) {
			data, err := sampleEvents.ReadFile("events/" + trigger + ".json")
			require.NoError(t, err)
			obj, ok := event.DecodeObject(data)
			require.True(t, ok, "events/%s.json is a JSON object", trigger)
			for _, key := range []string{"user", "request", "tenant", "transaction", "client", "connection"} {
				assert.IsType(t, map[string]any{}, obj[key], "event.%s", key)
			}
		})
	}
}

func TestFullEvent(t *testing.T) {
	for name, tt := range map[string]struct {
		event string
		want  map[string]any // dotted paths: want value; nil: absent
	}{
		"the case's values win": {
			event: `{"user": {"email": "jane@example.com"}, "stats": {"logins_count": 12}}`,
			want:  map[string]any{"user.email": "jane@example.com", "stats.logins_count": "12", "user.user_id": "auth0|smoke0000000000000000000", "request.hostname": "smoke.example.com"},
		},
		"a field the action reads and the case lacks is left out": {
			event: `{"user": {}}`,
			want:  map[string]any{"user.email": nil, "stats.logins_count": nil, "request.ip": "192.0.2.1", "tenant.id": nil, "transaction.protocol": nil, "user.app_metadata": map[string]any{}, "user.nickname": "smoke"},
		},
		"a value that is not an object replaces the sample's": {
			event: `{"user": {"email": "a@b.c"}, "stats": "1", "request": null}`,
			want:  map[string]any{"stats": "1", "request": nil, "client.name": "smoke test client"},
		},
	} {
		t.Run(name, func(t *testing.T) {
			got, why := fullEvent("post-login", mfa.Contract, json.RawMessage(tt.event))
			require.Empty(t, why)
			obj, ok := event.DecodeObject(got)
			require.True(t, ok)
			for path, want := range tt.want {
				v, found := lookup(obj, path)
				if want == nil {
					assert.True(t, !found || v == nil, "%s: got %v, want it absent or null", path, v)
					continue
				}
				assert.True(t, found, "%s missing", path)
				assert.Equal(t, want, jsonString(v), "%s", path)
			}
		})
	}
	t.Run("an event whose user is not an object is not tested", func(t *testing.T) {
		for _, ev := range []string{`{"user": null}`, `{"user": "jane@example.com"}`, `{"user": []}`} {
			_, why := fullEvent("post-login", mfa.Contract, json.RawMessage(ev))
			assert.Equal(t, "the case's event.user is not an object, and Auth0's test runner reads event.user before the action runs", why, "event %s", ev)
		}
	})
	t.Run("an unknown trigger", func(t *testing.T) {
		_, why := fullEvent("send-phone-message", mfa.Contract, json.RawMessage(`{}`))
		assert.Equal(t, "no sample event of the trigger send-phone-message to test the case with", why)
	})
}

// lookup returns the value at a dotted path.
func lookup(obj map[string]any, path string) (any, bool) {
	var v any = obj
	for _, p := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[p]; !ok {
			return nil, false
		}
	}
	return v, true
}

// jsonString is v with a json.Number as its text, for comparing.
func jsonString(v any) any {
	if n, ok := v.(json.Number); ok {
		return n.String()
	}
	return v
}
