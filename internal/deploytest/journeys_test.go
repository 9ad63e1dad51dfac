package deploytest_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/internal/mgmtstub"
)

// The tenants the journeys run on: the deploy's TEST_TENANT_ID is the test
// tenant's id.
const (
	prodTenant = "floatme"
	testTenant = "floatme-test"
)

// journey is one user's steps; each step's want is what the flow must do.
type journey struct {
	Name  string `json:"name"`
	Steps []step `json:"steps"`
}

// step is one flow: a sign-up, a login or a refresh token exchange.
type step struct {
	Name   string  `json:"name"`
	Kind   string  `json:"kind"`
	Email  string  `json:"email,omitempty"`
	Tenant string  `json:"tenant"`
	IP     string  `json:"ip"`
	want   outcome `json:"-"`
}

// outcome is what a flow must do: each action's reason, whether the user is
// challenged, the user updates the flow makes (metadata is written once, at
// the flow's end) and user_metadata.last_ip after it.
type outcome struct {
	reasons    map[string]string
	challenged bool
	writes     int
	lastIP     string
}

// flags is the app_metadata enable_mfa gives every new user.
var flags = map[string]any{"auth_require_mfa": true, "uses_new_mfa_action": true}

// signup is a sign-up step of email on tenant: the MFA flags are set.
func signup(email, tenant string) step {
	return step{Name: "sign-up", Kind: "signup", Email: email, Tenant: tenant, IP: "198.51.100.1",
		want: outcome{reasons: map[string]string{"enable_mfa": "mfa-flags-set"}}}
}

// login is a login or refresh step (kind) and what each action must decide.
func login(name, kind, tenant, ip, mfaReason, ipReason string, challenged bool, writes int, lastIP string) step {
	return step{Name: name, Kind: kind, Tenant: tenant, IP: ip, want: outcome{
		reasons:    map[string]string{"mfa_action": mfaReason, "add_ip_to_metadata": ipReason},
		challenged: challenged, writes: writes, lastIP: lastIP,
	}}
}

// journeys are the user journeys, with what each step must do (README's
// decision tables).
var journeys = []journey{
	{Name: "new user on the production tenant", Steps: []step{
		signup("jane@example.com", prodTenant),
		login("first login: no MFA, IP recorded", "login", prodTenant, "203.0.113.7", "first-login", "recorded", false, 1, "203.0.113.7"),
		login("second login: MFA", "login", prodTenant, "203.0.113.7", "mfa-required", "unchanged", true, 0, "203.0.113.7"),
		login("same IP again: no metadata write", "login", prodTenant, "203.0.113.7", "mfa-required", "unchanged", true, 0, "203.0.113.7"),
		login("new IP: one write, canonical form", "login", prodTenant, "2001:DB8::1", "mfa-required", "recorded", true, 1, "2001:db8::1"),
		login("refresh: MFA", "refresh", prodTenant, "2001:db8::1", "mfa-required", "unchanged", true, 0, "2001:db8::1"),
	}},
	{Name: "user on the test tenant", Steps: []step{
		signup("bob@example.com", testTenant),
		login("first login: no MFA", "login", testTenant, "203.0.113.8", "first-login", "recorded", false, 1, "203.0.113.8"),
		login("refresh: no MFA", "refresh", testTenant, "203.0.113.8", "test-tenant-refresh", "unchanged", false, 0, "203.0.113.8"),
		login("second login: MFA", "login", testTenant, "203.0.113.8", "mfa-required", "unchanged", true, 0, "203.0.113.8"),
	}},
	{Name: "force-MFA account on the test tenant", Steps: []step{
		signup("carol@forcemfa.floatme.io", testTenant),
		login("first login: no MFA", "login", testTenant, "203.0.113.9", "first-login", "recorded", false, 1, "203.0.113.9"),
		login("refresh: MFA", "refresh", testTenant, "203.0.113.9", "force-mfa-domain", "unchanged", true, 0, "203.0.113.9"),
	}},
	{Name: "integration test account on the test tenant", Steps: []step{
		signup("ci-42@integration.floatme.io", testTenant),
		login("first login: no MFA", "login", testTenant, "192.0.2.10", "integration-test-account", "recorded", false, 1, "192.0.2.10"),
		login("second login: no MFA", "login", testTenant, "192.0.2.11", "integration-test-account", "recorded", false, 1, "192.0.2.11"),
		login("refresh: no MFA", "refresh", testTenant, "192.0.2.11", "test-tenant-refresh", "unchanged", false, 0, "192.0.2.11"),
	}},
	{Name: "integration test domain on the production tenant", Steps: []step{
		signup("ci-43@integration.floatme.io", prodTenant),
		login("first login: no MFA", "login", prodTenant, "192.0.2.12", "first-login", "recorded", false, 1, "192.0.2.12"),
		login("second login: MFA", "login", prodTenant, "192.0.2.12", "mfa-required", "unchanged", true, 0, "192.0.2.12"),
	}},
}

// flowAction is one bound action as journeys.js takes it.
type flowAction struct {
	Name    string            `json:"name"`
	File    string            `json:"file"`
	Secrets map[string]string `json:"secrets"`
}

// stepResult is what journeys.js reports for a step.
type stepResult struct {
	Name    string `json:"name"`
	Actions []struct {
		Name  string `json:"name"`
		Line  string `json:"line"`
		Error string `json:"error"`
	} `json:"actions"`
	Challenged     bool `json:"challenged"`
	MetadataWrites int  `json:"metadata_writes"`
	User           struct {
		AppMetadata  map[string]any `json:"app_metadata"`
		UserMetadata map[string]any `json:"user_metadata"`
	} `json:"user"`
}

// runJourneys takes each trigger's bound actions back from the stand-in
// (deployed code, secrets, the packages their builds installed, in the
// order it holds them), runs the journeys through them in Node 18 and
// checks every step.
func runJourneys(t *testing.T, tl tools, stub *mgmtstub.Server, work string) {
	dir := filepath.Join(work, "deployed")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	flows := map[string][]flowAction{}
	var modules []string
	for _, trigger := range triggers {
		for _, b := range stub.Bindings(trigger) {
			name := b.GetAction().GetName()
			d, ok := stub.Deployed(name)
			require.True(t, ok, "%s has a deployed version", name)
			require.NotEmpty(t, d.Modules, "%s's build installed its packages", name)
			modules = append(modules, d.Modules)
			file := filepath.Join(dir, name+".js")
			require.NoError(t, os.WriteFile(file, []byte(d.Code), 0o644))
			flows[trigger] = append(flows[trigger], flowAction{Name: name, File: file, Secrets: stub.SecretValues(b.GetAction().GetID())})
		}
	}
	input, err := json.Marshal(map[string]any{"flows": flows, "journeys": journeys})
	require.NoError(t, err)
	inputFile := filepath.Join(work, "journeys.json")
	require.NoError(t, os.WriteFile(inputFile, input, 0o644))

	cmd := exec.Command(tl.node, filepath.Join(tl.root, "internal", "deploytest", "journeys.js"), inputFile)
	cmd.Env = append(os.Environ(), "NODE_PATH="+strings.Join(modules, string(os.PathListSeparator)))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "journeys.js: %s", stderr.String())
	var got struct {
		Journeys []struct {
			Name  string       `json:"name"`
			Steps []stepResult `json:"steps"`
		} `json:"journeys"`
	}
	require.NoError(t, json.Unmarshal(out, &got))
	require.Len(t, got.Journeys, len(journeys))
	for i, j := range journeys {
		t.Run(j.Name, func(t *testing.T) {
			require.Len(t, got.Journeys[i].Steps, len(j.Steps))
			for k, s := range j.Steps {
				t.Run(s.Name, func(t *testing.T) { assertStep(t, s.want, got.Journeys[i].Steps[k]) })
			}
		})
	}
}

// logLine is the start of an action's log line.
var logLine = regexp.MustCompile(`^\[([a-z_]+)\] decision=\S+ reason=(\S+) `)

// assertStep checks one step's result against want.
func assertStep(t *testing.T, want outcome, got stepResult) {
	reasons := map[string]string{}
	for _, a := range got.Actions {
		assert.Empty(t, a.Error, "%s threw", a.Name)
		m := logLine.FindStringSubmatch(a.Line)
		if assert.NotNil(t, m, "%s's log line %q", a.Name, a.Line) {
			assert.Equal(t, a.Name, m[1], "action named in the log line")
			reasons[a.Name] = m[2]
		}
	}
	assert.Equal(t, want.reasons, reasons, "reasons, by action")
	assert.Equal(t, want.challenged, got.Challenged, "challenged")
	assert.Equal(t, want.writes, got.MetadataWrites, "metadata writes")
	assert.Equal(t, flags, got.User.AppMetadata, "app_metadata after the step")
	if want.lastIP == "" {
		assert.NotContains(t, got.User.UserMetadata, "last_ip", "user_metadata after the step")
	} else {
		assert.Equal(t, want.lastIP, got.User.UserMetadata["last_ip"], "user_metadata.last_ip after the step")
	}
}
