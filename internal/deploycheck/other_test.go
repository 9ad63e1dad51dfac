package deploycheck_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/internal/bundle"
	"github.com/floatme/auth0-wasm-actions/internal/deploycheck"
)

// otherBlock is an actions block binding an action the build does not make.
func otherBlock(id, name string) string {
	return "  actions {\n    id           = \"" + id + "\"\n    display_name = \"" + name + "\"\n  }\n"
}

// bindingOf is the actions block binding the built action name.
func bindingOf(name string) string {
	label := deploycheck.ResourceName(name)
	return "  actions {\n    id           = auth0_action." + label + ".id\n    display_name = auth0_action." + label + ".name\n  }\n"
}

// declareAfter returns a break that binds block right after the binding
// of the built action after.
func declareAfter(after, block string) func(*testing.T, string) {
	return replace("deploy/auth0_actions.tf", bindingOf(after), bindingOf(after)+block)
}

// declareBefore returns a break that binds block right before the binding
// of the built action before.
func declareBefore(before, block string) func(*testing.T, string) {
	return replace("deploy/auth0_actions.tf", bindingOf(before), block+bindingOf(before))
}

// manifest reads the repository's build manifest.
func manifest(t *testing.T) bundle.Manifest {
	m, err := bundle.ReadManifest(filepath.Join(root, "build"))
	require.NoError(t, err, "run make wasm")
	return m
}

// builtOn returns the built actions bound to trigger, in manifest order.
func builtOn(m bundle.Manifest, trigger string) []deploycheck.Bound {
	var out []deploycheck.Bound
	for _, a := range m.Actions {
		if a.Trigger.ID == trigger {
			out = append(out, deploycheck.Bound{Name: a.Name})
		}
	}
	return out
}

// TestBindings: the deploy files' bindings are the manifest's actions on
// each trigger, in order; another action declared right after one of them
// is bound there, and the files still pass.
func TestBindings(t *testing.T) {
	m := manifest(t)
	got, diags := deploycheck.Bindings(filepath.Join(root, "deploy"), deploycheck.Options{})
	require.Empty(t, deploycheck.Format(diags))
	for _, a := range m.Actions {
		assert.Equal(t, builtOn(m, a.Trigger.ID), got[a.Trigger.ID], "%s bindings", a.Trigger.ID)
	}
	other := deploycheck.Bound{Name: "audit_login", ID: "act_other"}
	for _, a := range m.Actions {
		for _, place := range []struct {
			where   string
			declare func(string, string) func(*testing.T, string)
			offset  int // from a's index in the trigger's list
		}{{"before", declareBefore, 0}, {"after", declareAfter, 1}} {
			t.Run("another action "+place.where+" "+a.Name, func(t *testing.T) {
				dir := copyTree(t)
				place.declare(a.Name, otherBlock(other.ID, other.Name))(t, dir)
				got, diags := deploycheck.Bindings(filepath.Join(dir, "deploy"), deploycheck.Options{})
				require.Empty(t, deploycheck.Format(diags))
				want := builtOn(m, a.Trigger.ID)
				want = slices.Insert(want, slices.Index(want, deploycheck.Bound{Name: a.Name})+place.offset, other)
				assert.Equal(t, want, got[a.Trigger.ID], "%s bindings: got %v, want %v", a.Trigger.ID, got[a.Trigger.ID], want)
			})
		}
	}
}

// TestBrokenOtherActions: another action bound by id must be declared by
// a name that is not a built action's, an id, and once.
func TestBrokenOtherActions(t *testing.T) {
	m := manifest(t)
	first, last := m.Actions[0], m.Actions[len(m.Actions)-1]
	const tf = "deploy/auth0_actions.tf"
	for _, tt := range []struct {
		name   string
		break_ func(*testing.T, string)
		want   place
	}{
		{
			name:   "named as a built action",
			break_: declareAfter(first.Name, otherBlock("act_other", last.Name)),
			want:   place{tf, `display_name = "` + last.Name + `"`, "Built action bound by id", ""},
		},
		{
			name:   "without an id",
			break_: declareAfter(first.Name, otherBlock("", "audit_login")),
			want:   place{tf, `id           = ""`, "Other action without an id or name", ""},
		},
		{
			name:   "declared twice",
			break_: declareAfter(first.Name, otherBlock("act_other", "audit_login")+otherBlock("act_other", "audit_login")),
			want:   place{tf, `id           = "act_other"`, "Action bound twice", `display_name = "audit_login"`},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyTree(t)
			tt.break_(t, dir)
			diags := deploycheck.Check(filepath.Join(dir, "deploy"), deploycheck.Options{})
			got := places(dir, diags)
			assert.Equal(t, []string{tt.want.at(t, dir)}, got, "got:\n%s", strings.Join(got, "\n"))
		})
	}
}
