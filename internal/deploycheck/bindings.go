package deploycheck

import (
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// binding is one actions block of an auth0_trigger_actions resource; rng is
// its id's.
type binding struct {
	rng     hcl.Range
	trigger string
	action  deployed
}

// checkBindings checks the auth0_trigger_actions resources: one per
// trigger, every built action bound exactly once, to its own trigger, and
// each trigger running its actions in the manifest's order. It also reports
// resources of types the deploy files may not use.
func (c *checker) checkBindings(actions map[string]deployed) {
	triggers := map[string]hcl.Range{}
	var all []binding
	for _, block := range c.resources {
		if block.Labels[0] == "auth0_action" {
			continue
		}
		r, ok := c.decodeResource(block) // reports a type the files may not use
		if !ok {
			continue
		}
		attr := r.attrs["trigger"]
		trigger, ok := c.stringOf(attr)
		if !ok {
			continue
		}
		if prev, dup := triggers[trigger]; dup {
			c.errorAt(attr.Expr.Range(), "Trigger bound twice",
				"%s is also bound at %s; auth0_trigger_actions owns a trigger's whole list, so two would undo each other", trigger, prev)
			continue
		}
		triggers[trigger] = attr.Expr.Range()
		bound := c.triggerBindings(r, trigger, actions)
		c.checkOrder(trigger, bound)
		all = append(all, bound...)
	}
	for _, a := range c.build.manifest.Actions {
		if slices.ContainsFunc(all, func(b binding) bool { return b.action.action.Name == a.Name }) {
			continue
		}
		rng := *c.build.nameRange(a.Name)
		for _, d := range actions {
			if d.action.Name == a.Name {
				rng = d.block.DefRange
			}
		}
		c.errorAt(rng, "Action not bound", "%s runs on no trigger: bind it in the auth0_trigger_actions resource for %s", a.Name, a.Trigger.ID)
	}
}

// triggerBindings decodes the actions blocks of a trigger's resource, in
// order, and reports those that do not name a deployed action by its id, name
// it with another display name, bind it to another trigger than its own, or
// bind it a second time.
func (c *checker) triggerBindings(r resource, trigger string, actions map[string]deployed) []binding {
	var bound []binding
	for _, b := range r.blocks["actions"] {
		id, ok := b.attrs["id"]
		if !ok {
			continue
		}
		d, ok := c.actionRef(id, actions)
		if !ok {
			continue
		}
		if name, ok := c.stringOf(b.attrs["display_name"]); ok && name != d.action.Name {
			c.errorAt(b.attrs["display_name"].Expr.Range(), "Wrong display name", "display_name is %q, want the action's name %q", name, d.action.Name)
		}
		if d.action.Trigger.ID != trigger {
			c.errorAt(id.Expr.Range(), "Action on the wrong trigger", "%s is built for %s, not %s", d, d.action.Trigger.ID, trigger)
			continue
		}
		if slices.ContainsFunc(bound, func(x binding) bool { return x.action.label == d.label }) {
			c.errorAt(id.Expr.Range(), "Action bound twice", "%s runs twice on %s", d, trigger)
			continue
		}
		bound = append(bound, binding{rng: id.Expr.Range(), trigger: trigger, action: d})
	}
	return bound
}

// actionRef resolves an actions block's id, which must be
// auth0_action.<name>.id of a deployed action.
func (c *checker) actionRef(id *hcl.Attribute, actions map[string]deployed) (deployed, bool) {
	t, diags := hcl.AbsTraversalForExpr(id.Expr)
	if !diags.HasErrors() && len(t) == 3 && t.RootName() == "auth0_action" {
		label, attr := t[1].(hcl.TraverseAttr).Name, t[2].(hcl.TraverseAttr).Name
		if d, ok := actions[label]; ok && attr == "id" {
			return d, true
		}
	}
	c.errorAt(id.Expr.Range(), "Not a deployed action's id", "id must be auth0_action.<name>.id of an auth0_action resource that deploys a built action")
	return deployed{}, false
}

// checkOrder reports the first binding out of the manifest's order (the
// deploy order of actions.All) on trigger.
func (c *checker) checkOrder(trigger string, bound []binding) {
	var want []string
	for _, a := range c.build.manifest.Actions {
		if a.Trigger.ID == trigger && slices.ContainsFunc(bound, func(b binding) bool { return b.action.action.Name == a.Name }) {
			want = append(want, a.Name)
		}
	}
	var got []string
	for _, b := range bound {
		got = append(got, b.action.action.Name)
	}
	for i, b := range bound {
		if want[i] != b.action.action.Name {
			c.errorAt(b.rng, "Actions out of order", "%s runs %s; the manifest's order is %s",
				trigger, strings.Join(got, ", "), strings.Join(want, ", "))
			return
		}
	}
}
