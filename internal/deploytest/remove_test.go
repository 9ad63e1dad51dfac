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
	label := deploycheck.ResourceName(action)
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
// files (on trigger), as one change, and applies it (the build in dir). A plain apply
// meets Auth0's 409: Terraform destroys the action before it updates the
// trigger's bindings, and Auth0 refuses to delete a bound action (what the
// provider's issues #64, #883 and #1335 report); it leaves the tenant as it
// was. Applying the trigger's bindings first (-target) and then the rest
// removes the action: it is gone, the trigger runs the others in order, and
// a new plan has no changes.
func assertRemoval(t *testing.T, tf *terraform, stub *mgmtstub.Server, dir, action, trigger string) {
	file := filepath.Join(tf.dir, "auth0_actions.tf")
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(file, []byte(withoutAction(t, string(data), action)), 0o644))
	apply := []string{"apply", "-auto-approve", "-input=false", "-no-color", "-var", "build_dir=" + dir}
	t.Run("a plain apply meets the 409 and changes nothing", func(t *testing.T) {
		before := bindingIDs(stub)
		out, code := tf.run(apply...)
		require.NotEqual(t, 0, code, "apply removing %s:\n%s", action, out)
		assert.Contains(t, out, "409 Conflict: Unable to delete an action bound to a trigger.")
		assert.Contains(t, names(stub.Actions()), action, "actions after the refused removal")
		assert.Equal(t, before, bindingIDs(stub), "bindings after the refused removal")
	})
	t.Run("the bindings first, then the rest", func(t *testing.T) {
		tf.must(append(apply, "-target=auth0_trigger_actions."+strings.ReplaceAll(trigger, "-", "_"))...)
		assert.Contains(t, names(stub.Actions()), action, "actions after applying the bindings only")
		tf.must(apply...)
		assert.NotContains(t, names(stub.Actions()), action, "actions after the removal")
		var bound []string
		for _, b := range stub.Bindings(trigger) {
			bound = append(bound, b.GetAction().GetName())
		}
		assert.NotContains(t, bound, action, "%s bindings after the removal", trigger)
		assert.NotEmpty(t, bound, "%s bindings after the removal: the others", trigger)
		out, code := tf.run("plan", "-detailed-exitcode", "-input=false", "-no-color", "-var", "build_dir="+dir)
		assert.Equal(t, 0, code, "plan after the removal (0: no changes):\n%s", out)
	})
}
