package deploycheck

import (
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// Bound is one action a trigger runs, as the deploy files bind it: a built
// action (Name, ID empty), or another action the files declare in its place
// among the built ones, by its id (ID) and its name (Name, its
// display_name).
type Bound struct {
	Name string
	ID   string
}

// binding is one actions block of an auth0_trigger_actions resource; rng is
// its id's. action is the built action it binds; zero for another action,
// which other holds.
type binding struct {
	rng     hcl.Range
	trigger string
	action  deployed
	other   Bound
}

// bound returns b as a Bound.
func (b binding) bound() Bound {
	if b.other.ID != "" {
		return b.other
	}
	return Bound{Name: b.action.action.Name}
}

// checkBindings checks the auth0_trigger_actions resources: one per
// trigger, every built action bound exactly once, to its own trigger, and
// each trigger running its built actions in the manifest's order; other
// actions bound among them are declared by id and name. It records each
// trigger's bindings in c.bound, and reports resources of types the deploy
// files may not use.
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
		for _, b := range bound {
			c.bound[trigger] = append(c.bound[trigger], b.bound())
		}
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
// order. A block whose id refers to auth0_action binds a built action; it
// is reported when it names none, names it with another display name, binds
// it to another trigger than its own, or binds it a second time. Any other
// block binds another action (see otherAction).
func (c *checker) triggerBindings(r resource, trigger string, actions map[string]deployed) []binding {
	var bound []binding
	for _, b := range r.blocks["actions"] {
		id, ok := b.attrs["id"]
		if !ok {
			continue
		}
		if !refersToActions(id) {
			if o, ok := c.otherAction(b, trigger, bound); ok {
				bound = append(bound, o)
			}
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

// refersToActions reports whether an id refers to an auth0_action resource.
func refersToActions(id *hcl.Attribute) bool {
	return slices.ContainsFunc(id.Expr.Variables(), func(t hcl.Traversal) bool { return t.RootName() == "auth0_action" })
}

// otherAction decodes an actions block that binds an action the build does
// not make: its id and display_name must be strings the files give (the
// action's id and name, which actions verify checks the tenant binds
// there), the name not a built action's, the id not bound before on the
// trigger.
func (c *checker) otherAction(b nested, trigger string, bound []binding) (binding, bool) {
	id, idOK := c.stringOf(b.attrs["id"])
	name, nameOK := c.stringOf(b.attrs["display_name"])
	if !idOK || !nameOK {
		return binding{}, false
	}
	rng := b.attrs["id"].Expr.Range()
	switch {
	case id == "" || name == "":
		c.errorAt(rng, "Other action without an id or name", "an action the build does not make is bound by its id and display_name, its name: both must be set")
	case c.isBuilt(name):
		c.errorAt(b.attrs["display_name"].Expr.Range(), "Built action bound by id",
			"%s is built here: bind it by the id of the auth0_action resource that deploys it", name)
	case slices.ContainsFunc(bound, func(x binding) bool { return x.other.ID == id }):
		c.errorAt(rng, "Action bound twice", "%s (%s) runs twice on %s", name, id, trigger)
	default:
		return binding{rng: rng, trigger: trigger, other: Bound{Name: name, ID: id}}, true
	}
	return binding{}, false
}

// isBuilt reports whether the build has an action called name.
func (c *checker) isBuilt(name string) bool {
	_, ok := c.build.manifest.Action(name)
	return ok
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

// checkOrder reports the first built action out of the manifest's order
// (the deploy order of actions.All) on trigger; other actions may run
// anywhere among them.
func (c *checker) checkOrder(trigger string, bound []binding) {
	var built []binding
	for _, b := range bound {
		if b.other.ID == "" {
			built = append(built, b)
		}
	}
	var want []string
	for _, a := range c.build.manifest.Actions {
		if a.Trigger.ID == trigger && slices.ContainsFunc(built, func(b binding) bool { return b.action.action.Name == a.Name }) {
			want = append(want, a.Name)
		}
	}
	var got []string
	for _, b := range built {
		got = append(got, b.action.action.Name)
	}
	for i, b := range built {
		if want[i] != b.action.action.Name {
			c.errorAt(b.rng, "Actions out of order", "%s runs %s; the manifest's order is %s",
				trigger, strings.Join(got, ", "), strings.Join(want, ", "))
			return
		}
	}
}
