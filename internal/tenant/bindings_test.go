package tenant_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/internal/bundle"
	"github.com/floatme/auth0-wasm-actions/internal/deploycheck"
	"github.com/floatme/auth0-wasm-actions/internal/mgmtstub"
	"github.com/floatme/auth0-wasm-actions/internal/tenant"
	"github.com/floatme/auth0-wasm-actions/internal/tenant/tenanttest"
)

// place is where on a trigger the intruder is bound: at index at of the
// trigger's built actions, described by where.
type place struct {
	trigger string
	at      int
	where   string
}

// places returns every place on each trigger of m: before, between and
// after its actions.
func places(m bundle.Manifest) []place {
	triggers, names := tenant.Triggers(m)
	var out []place
	for _, trigger := range triggers {
		ours := names[trigger]
		for at := range len(ours) + 1 {
			var where string
			switch at {
			case 0:
				where = "before " + ours[0]
			case len(ours):
				where = "after " + ours[at-1]
			default:
				where = "between " + ours[at-1] + " and " + ours[at]
			}
			out = append(out, place{trigger, at, where + " on " + trigger})
		}
	}
	return out
}

// deployIntruder deploys an action the build does not make on each trigger
// of m, as another team would, and returns its id by trigger.
func deployIntruder(t *testing.T, s *mgmtstub.Server, m bundle.Manifest) map[string]string {
	t.Helper()
	api := tenanttest.Client(t, s)
	triggers, names := tenant.Triggers(m)
	ids := map[string]string{}
	for _, trigger := range triggers {
		ours, _ := m.Action(names[trigger][0])
		other := bundle.ManifestAction{Name: intruderOn(trigger), Trigger: ours.Trigger, Runtime: ours.Runtime}
		ids[trigger] = tenanttest.CreateAndDeploy(t, api, other, "exports.onExecute = async () => {};", nil)
	}
	return ids
}

// intruderOn is the name of the intruder on trigger.
func intruderOn(trigger string) string { return "intruder_" + trigger }

// withAt returns list with item inserted at index at.
func withAt[T any](list []T, at int, item T) []T {
	return slices.Insert(slices.Clone(list), at, item)
}

// TestVerifyOtherActions: on each trigger, an action the build does not
// name bound before, between or after the build's is drift at its
// position, unless deploy/ declares it there; a declared one missing or in
// another place is drift.
func TestVerifyOtherActions(t *testing.T) {
	dir, m := tenanttest.BuildDir(t)
	_, names := tenant.Triggers(m)
	s := tenanttest.Start(t, mgmtstub.Options{})
	ids := tenanttest.Deploy(t, s, dir, m, tenanttest.Secrets(t))
	others := deployIntruder(t, s, m)
	api := tenanttest.Client(t, s)
	bind := func(t *testing.T, trigger string, order []string) {
		t.Helper()
		tenanttest.Bind(t, api, m, ids, map[string][]string{trigger: order})
		t.Cleanup(func() { tenanttest.Bind(t, api, m, ids, nil) })
	}
	for _, p := range places(m) {
		name := intruderOn(p.trigger)
		ids[name] = others[p.trigger]
		other := deploycheck.Bound{Name: name, ID: others[p.trigger]}
		declared := deployBindings(t)
		declared[p.trigger] = withAt(declared[p.trigger], p.at, other)
		t.Run("an undeclared action "+p.where, func(t *testing.T) {
			bind(t, p.trigger, withAt(names[p.trigger], p.at, name))
			got := driftLines(verify(t, s, m))
			want := fmt.Sprintf("trigger %s: position %d: tenant has %q (id %s) bound, an action neither build/manifest.json nor deploy/ names",
				p.trigger, p.at+1, name, other.ID)
			require.Len(t, got, 1, "drift lines: got\n%s", strings.Join(got, "\n"))
			assert.Contains(t, got[0], want, "got %q, want it to contain %q", got[0], want)
		})
		t.Run("a declared action "+p.where, func(t *testing.T) {
			bind(t, p.trigger, withAt(names[p.trigger], p.at, name))
			got := driftLines(verifyWith(t, s, m, declared))
			assert.Empty(t, got, "drift with %s declared and bound %s", name, p.where)
		})
		t.Run("a declared action "+p.where+", not bound", func(t *testing.T) {
			got := driftLines(verifyWith(t, s, m, declared))
			want := fmt.Sprintf("trigger %s: binding of %q (id %s): tenant has none, deploy/ wants one (position %d)", p.trigger, name, other.ID, p.at+1)
			assert.Equal(t, []string{want}, got)
		})
		t.Run("a declared action "+p.where+", bound elsewhere", func(t *testing.T) {
			elsewhere := (p.at + 1) % (len(names[p.trigger]) + 1)
			bind(t, p.trigger, withAt(names[p.trigger], elsewhere, name))
			got := driftLines(verifyWith(t, s, m, declared))
			require.Len(t, got, 1, "drift lines: got\n%s", strings.Join(got, "\n"))
			assert.Contains(t, got[0], fmt.Sprintf("trigger %s: order: tenant has ", p.trigger), "got %q", got[0])
		})
	}
}
