package deploytest_test

import (
	"net"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestSecretChecks: terraform plan of deploy/ refuses each misconfigured
// secret of mfa_action with a message that says what to do, and plans
// correct ones. The tenant deployed to is the stand-in's: its domain is
// 127.0.0.1:PORT, so its tenant id, the first label, is "127".
func TestSecretChecks(t *testing.T) {
	tl := findTools(t)
	work := t.TempDir()
	build := copyShippedBuild(t, tl, work)
	stub := startStub(t, tl, nil)
	tf := initDeploy(t, tl, work, stub, nil)
	host, _, err := net.SplitHostPort(stub.Domain())
	if err != nil {
		t.Fatal(err)
	}
	deployed := strings.Split(host, ".")[0]
	const (
		notBare  = ": not a bare domain. Give the part after the \"@\" of the addresses it names"
		public   = "INTEGRATION_TEST_EMAIL_DOMAIN is a public mail provider's domain: anyone can register an address there and skip MFA on the test tenant."
		deployTo = "TEST_TENANT_ID names the tenant deployed to (127): every refresh-token login there would skip MFA. Set TEST_TENANT_ID to the test tenant's id, or, deploying to the test tenant itself, set is_test_tenant = true"
	)
	correct := map[string]string{
		"test_tenant_id":                testTenant,
		"integration_test_email_domain": "integration.floatme.io",
		"force_mfa_email_domain":        "forcemfa.floatme.io",
	}
	tests := []struct {
		name string
		vars map[string]string // over correct's
		want string            // in the error; "" when the plan passes
	}{
		{"correct secrets", nil, ""},
		{"no secrets", map[string]string{"test_tenant_id": "", "integration_test_email_domain": "", "force_mfa_email_domain": ""}, ""},
		{"a domain with an @", map[string]string{"integration_test_email_domain": "@integration.floatme.io"}, "INTEGRATION_TEST_EMAIL_DOMAIN" + notBare},
		{"an upper-case domain", map[string]string{"integration_test_email_domain": "Integration.floatme.io"}, "INTEGRATION_TEST_EMAIL_DOMAIN" + notBare},
		{"a domain with a scheme", map[string]string{"integration_test_email_domain": "https://integration.floatme.io"}, "INTEGRATION_TEST_EMAIL_DOMAIN" + notBare},
		{"a domain with a trailing space", map[string]string{"integration_test_email_domain": "integration.floatme.io "}, "INTEGRATION_TEST_EMAIL_DOMAIN" + notBare},
		{"a force-MFA address, not a domain", map[string]string{"force_mfa_email_domain": "user@forcemfa.floatme.io"}, "FORCE_MFA_EMAIL_DOMAIN" + notBare},
		{"both domains malformed", map[string]string{"integration_test_email_domain": "integration floatme io", "force_mfa_email_domain": "FORCEMFA.floatme.io"},
			"FORCE_MFA_EMAIL_DOMAIN and INTEGRATION_TEST_EMAIL_DOMAIN" + notBare},
		{"a public mail provider's domain", map[string]string{"integration_test_email_domain": "gmail.com"}, public},
		{"the tenant deployed to as the test tenant", map[string]string{"test_tenant_id": deployed}, deployTo},
		{"the test tenant deploying to itself", map[string]string{"test_tenant_id": deployed, "is_test_tenant": "true"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := []string{"plan", "-input=false", "-no-color", "-var", "build_dir=" + build}
			for name, value := range correct {
				if v, ok := tt.vars[name]; ok {
					value = v
				}
				args = append(args, "-var", name+"="+value)
			}
			if v, ok := tt.vars["is_test_tenant"]; ok {
				args = append(args, "-var", "is_test_tenant="+v)
			}
			out, code := tf.run(args...)
			errs := errorsOf(out)
			if tt.want == "" {
				assert.Equal(t, 0, code, "plan exit code:\n%s", errs)
				return
			}
			assert.Equal(t, 1, code, "plan exit code:\n%s", errs)
			assert.Contains(t, unwrapped(errs), tt.want, "the plan's errors")
		})
	}
}

// errorsOf returns Terraform's output from its first error on: the plan
// before it holds the bundles.
func errorsOf(out string) string {
	if at := strings.Index(out, "Error:"); at >= 0 {
		return out[at:]
	}
	return "(no error)"
}

// unwrapped returns Terraform's output with its diagnostics' frame (│, ╷,
// ╵) removed and every run of white space made one space, so that a
// message wrapped over lines reads as written.
func unwrapped(out string) string {
	out = strings.NewReplacer("│", " ", "╷", " ", "╵", " ").Replace(out)
	return strings.Join(strings.Fields(out), " ")
}
