package deploytest_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/internal/deploycheck"
	"github.com/floatme/auth0-wasm-actions/internal/mgmtstub"
)

// withoutAction returns the deploy file tf without the auth0_action
// resource of action and without its binding.
func withoutAction(t *testing.T, tf, action string) string {
	label := deploycheck.ResourceNames[action]
	start := strings.Index(tf, `resource "auth0_action" "`+label+`" {`)
	require.GreaterOrEqual(t, start, 0, "the deploy files declare auth0_action.%s", label)
	end := strings.Index(tf[start:], "\n}\n")
	require.Positive(t, end, "auth0_action.%s ends", label)
	tf = tf[:start] + strings.TrimPrefix(tf[start+end+len("\n}\n"):], "\n")
	binding := "  actions {\n    id           = auth0_action." + label + ".id\n    display_name = auth0_action." + label + ".name\n  }\n"
	require.Equal(t, 1, strings.Count(tf, binding), "one binding of auth0_action.%s", label)
	return strings.Replace(tf, binding, "", 1)
}

// assertRemoval removes action's resource and its binding from the deploy
// files, as one change, and applies it (the build in dir): Terraform
// updates the trigger's bindings before it destroys the action, so the
// delete never meets Auth0's 409 for a bound action. The action is then
// gone, its trigger runs the others in order, and a new plan has no
// changes.
func assertRemoval(t *testing.T, tf *terraform, stub *mgmtstub.Server, dir, action string) {
	file := filepath.Join(tf.dir, "auth0_actions.tf")
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(file, []byte(withoutAction(t, string(data), action)), 0o644))
	sent := len(stub.Requests())
	out, code := tf.run("apply", "-auto-approve", "-input=false", "-no-color", "-var", "build_dir="+dir)
	require.Equal(t, 0, code, "apply removing %s:\n%s", action, out)
	assert.NotContains(t, names(stub.Actions()), action, "actions after the removal")
	var bound []string
	for _, b := range stub.Bindings("post-login") {
		bound = append(bound, b.GetAction().GetName())
	}
	assert.Equal(t, []string{"mfa_action"}, bound, "post-login bindings after the removal")
	var order []string
	for _, r := range stub.Requests()[sent:] {
		if r.Method == "PATCH" && strings.HasSuffix(r.Path, "/bindings") || r.Method == "DELETE" {
			order = append(order, r.Method+" "+strings.SplitN(r.Path, "?", 2)[0][len("/api/v2/actions/"):])
		}
	}
	t.Logf("writes of the removal, in order: %v", order)
	require.Len(t, order, 2, "writes: the bindings, then the delete")
	assert.Equal(t, "PATCH triggers/post-login/bindings", order[0], "the first write unbinds")
	assert.True(t, strings.HasPrefix(order[1], "DELETE actions/"), "the second write deletes: %s", order[1])
	out, code = tf.run("plan", "-detailed-exitcode", "-input=false", "-no-color", "-var", "build_dir="+dir)
	assert.Equal(t, 0, code, "plan after the removal (0: no changes):\n%s", out)
}
