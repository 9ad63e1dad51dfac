package tenant

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/auth0/go-auth0/management"

	"github.com/floatme/auth0-wasm-actions/internal/bundle"
)

// Fix is what to do about drift.
const Fix = "run terraform -chdir=deploy apply (after make wasm), then verify again"

// Drift is one way the tenant differs from the build.
type Drift struct {
	Subject string // an action's name, or "trigger <id>"
	What    string // what differs
	Tenant  string // what the tenant has
	Want    string // what build/manifest.json wants
}

// String is the drift as one line.
func (d Drift) String() string {
	return fmt.Sprintf("%s: %s: tenant has %s, build/manifest.json wants %s", d.Subject, d.What, d.Tenant, d.Want)
}

// Report is what Verify found.
type Report struct {
	Drifts  []Drift
	Actions int      // actions checked
	Notes   []string // what is not drift but worth saying
}

// Verify compares the tenant's actions and bindings with the manifest: per
// action its code (draft and deployed version), runtime, deployment,
// trigger, dependencies and secret names (no secret the manifest does not
// name); per trigger, each action bound exactly once, in manifest order. It
// only reads.
func Verify(ctx context.Context, r Reader, m bundle.Manifest) (Report, error) {
	all, err := r.Actions(ctx)
	if err != nil {
		return Report{}, err
	}
	byName := map[string][]Action{}
	for _, a := range all {
		byName[a.GetName()] = append(byName[a.GetName()], a)
	}
	var rep Report
	for _, want := range m.Actions {
		found := byName[want.Name]
		switch {
		case len(found) == 0:
			rep.Drifts = append(rep.Drifts, Drift{want.Name, "action", "no action of that name", "it, on " + want.Trigger.ID})
			continue
		case len(found) > 1:
			rep.Drifts = append(rep.Drifts, Drift{want.Name, "action", fmt.Sprintf("%d actions of that name", len(found)), "exactly one"})
		}
		got, err := r.Action(ctx, found[0].GetID())
		if err != nil {
			return Report{}, err
		}
		rep.Drifts = append(rep.Drifts, compareAction(want, got)...)
		rep.Actions++
	}
	order, names := Triggers(m)
	for _, trigger := range order {
		bs, err := r.Bindings(ctx, trigger)
		if err != nil {
			return Report{}, err
		}
		drifts, notes := compareBindings(trigger, names[trigger], m, bs)
		rep.Drifts, rep.Notes = append(rep.Drifts, drifts...), append(rep.Notes, notes...)
	}
	return rep, nil
}

// compareAction returns how got differs from want.
func compareAction(want bundle.ManifestAction, got Action) []Drift {
	var ds []Drift
	add := func(what, tenant, wanted string) { ds = append(ds, Drift{want.Name, what, tenant, wanted}) }
	if h := codeHash(got.GetCode()); h != want.SHA256 {
		add("draft code", "sha256 "+short(h), "sha256 "+short(want.SHA256)+" ("+want.Bundle+")")
	}
	if !runtimeIs(got.GetRuntime(), want.Runtime) {
		add("runtime", quoteOr(got.GetRuntime(), "none"), fmt.Sprintf("%q", want.Runtime))
	}
	v := got.DeployedVersion
	switch {
	case v == nil:
		add("deployed version", "none (never deployed)", "the bundle deployed")
	default:
		if h := codeHash(v.GetCode()); h != want.SHA256 {
			add("deployed code", fmt.Sprintf("sha256 %s (version %d)", short(h), v.Number), "sha256 "+short(want.SHA256)+" ("+want.Bundle+")")
		}
		if v.Runtime != "" && !runtimeIs(v.Runtime, want.Runtime) {
			add("deployed runtime", fmt.Sprintf("%q", v.Runtime), fmt.Sprintf("%q", want.Runtime))
		}
		if !got.AllChangesDeployed {
			add("deployment", "changes not deployed (all_changes_deployed false)", "every change deployed")
		}
	}
	if t := triggerList(got.SupportedTriggers); t != want.Trigger.ID+"@"+want.Trigger.Version {
		add("supported triggers", quoteOr(t, "none"), want.Trigger.ID+"@"+want.Trigger.Version)
	}
	if d, w := depList(got.GetDependencies()), manifestDeps(want.Dependencies); d != w {
		add("dependencies", quoteOr(d, "none"), quoteOr(w, "none"))
	}
	if extra := unknownSecrets(got.GetSecrets(), want.Secrets); len(extra) > 0 {
		add("secret names", quoteOr(secretNames(got.GetSecrets()), "none"), "only "+quoteOr(sortedJoin(want.Secrets), "none")+" (an unset one is left out)")
	}
	return ds
}

// compareBindings returns how a trigger's bindings differ from the
// manifest's actions for it (want, in order), and notes on actions bound
// there that the manifest does not name.
func compareBindings(trigger string, want []string, m bundle.Manifest, bs []management.ActionBinding) ([]Drift, []string) {
	subject := "trigger " + trigger
	var ds []Drift
	var notes []string
	count := map[string]int{}
	var order []string // manifest actions as bound, first binding of each
	for _, b := range bs {
		name := b.GetAction().GetName()
		count[name]++
		if count[name] == 1 && slices.Contains(want, name) {
			order = append(order, name)
		}
		if !slices.Contains(want, name) {
			if other, ok := m.Action(name); ok {
				ds = append(ds, Drift{name, "binding", "a binding to " + trigger, "bound to " + other.Trigger.ID + " only"})
			} else if count[name] == 1 {
				notes = append(notes, fmt.Sprintf("%s: %s is bound too; build/manifest.json does not name it (terraform apply would unbind it)", subject, quoteOr(name, "an unnamed action")))
			}
		}
	}
	for _, name := range want {
		switch n := count[name]; {
		case n == 0:
			ds = append(ds, Drift{subject, "binding of " + name, "none", "one"})
		case n > 1:
			ds = append(ds, Drift{subject, "binding of " + name, fmt.Sprintf("%d bindings", n), "one"})
		}
	}
	if wantOrder := present(want, count); !slices.Equal(order, wantOrder) {
		ds = append(ds, Drift{subject, "order", strings.Join(order, " then "), strings.Join(wantOrder, " then ")})
	}
	return ds, notes
}

// present returns the names in want that are bound at all, in want's order.
func present(want []string, count map[string]int) []string {
	var out []string
	for _, n := range want {
		if count[n] > 0 {
			out = append(out, n)
		}
	}
	return out
}

// laterRuntimes are the runtimes a bundle built for a runtime also runs on:
// the node18 bundles are tested under Node 22 too, and deploy/ lets
// runtime be node22.
var laterRuntimes = map[string][]string{"node18": {"node22"}}

// runtimeIs says whether the tenant's runtime is want, or one the bundles
// built for want are tested on: the Terraform provider sends node18 as
// "node18-actions", and Auth0 keeps that name; no such suffix is known for
// node22, which is compared as it is.
func runtimeIs(got, want string) bool {
	return got == want || got == want+"-actions" || slices.Contains(laterRuntimes[want], got)
}

// unknownSecrets returns the names of the tenant's secrets that want does
// not name. A secret of want the tenant lacks is no drift: the deploy sends
// no secret whose value is unset, and the actions read a missing secret as
// empty.
func unknownSecrets(got []management.ActionSecret, want []string) []string {
	var out []string
	for _, s := range got {
		if !slices.Contains(want, s.GetName()) {
			out = append(out, s.GetName())
		}
	}
	return out
}

func codeHash(code string) string {
	sum := sha256.Sum256([]byte(code))
	return hex.EncodeToString(sum[:])
}

func short(hash string) string { return hash[:min(len(hash), 12)] }

func quoteOr(s, none string) string {
	if s == "" {
		return none
	}
	return fmt.Sprintf("%q", s)
}

func triggerList(ts []management.ActionTrigger) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = t.GetID() + "@" + t.GetVersion()
	}
	return strings.Join(parts, ", ")
}

func depList(ds []management.ActionDependency) string {
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = d.GetName() + "@" + d.GetVersion()
	}
	return sortedJoin(parts)
}

func manifestDeps(ds []bundle.Dependency) string {
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = d.Name + "@" + d.Version
	}
	return sortedJoin(parts)
}

func secretNames(ss []management.ActionSecret) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = s.GetName()
	}
	return sortedJoin(parts)
}

func sortedJoin(parts []string) string {
	parts = slices.Clone(parts)
	slices.Sort(parts)
	return strings.Join(parts, ", ")
}
