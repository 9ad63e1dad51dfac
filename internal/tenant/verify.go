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
	"github.com/floatme/auth0-wasm-actions/internal/deploycheck"
)

// Fix is what to do about drift.
const Fix = "run terraform -chdir=deploy apply (after make wasm), then verify again"

// Source names where verify takes what it wants from.
const (
	FromManifest = "build/manifest.json"
	FromDeploy   = "deploy/"
)

// Drift is one way the tenant differs from the build.
type Drift struct {
	Subject string // an action's name, or "trigger <id>"
	What    string // what differs
	Tenant  string // what the tenant has
	Want    string // what Source wants
	Source  string // FromManifest or FromDeploy
}

// String is the drift as one line.
func (d Drift) String() string {
	return fmt.Sprintf("%s: %s: tenant has %s, %s wants %s", d.Subject, d.What, d.Tenant, d.Source, d.Want)
}

// Secrets are an action's secret names as the tenant holds them: verify
// cannot read their values.
type Secrets struct {
	Action  string
	Present []string // the build's names the tenant holds
	Missing []string // the build's names the tenant lacks: unset, so not sent
}

// String is the secret names as one line.
func (s Secrets) String() string {
	return fmt.Sprintf("%s: set on the tenant %s; not on the tenant (unset, or renamed: see drift) %s; values cannot be read, so they are not compared",
		s.Action, quoteOr(strings.Join(s.Present, ", "), "none"), quoteOr(strings.Join(s.Missing, ", "), "none"))
}

// Report is what Verify found.
type Report struct {
	Drifts  []Drift
	Actions int       // actions checked
	Secrets []Secrets // per action of the build with secrets
}

// Verify compares the tenant's actions and bindings with the manifest and
// the bindings deploy/ declares (deploycheck.Bindings): per action its code
// (draft and deployed version), runtime, deployment, trigger, dependencies
// and secret names (no secret the manifest does not name); per trigger of
// the manifest, exactly the actions bound holds, each once, in its order:
// any other action bound there is drift. It only reads.
func Verify(ctx context.Context, r Reader, m bundle.Manifest, bound map[string][]deploycheck.Bound) (Report, error) {
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
			rep.Drifts = append(rep.Drifts, Drift{want.Name, "action", "no action of that name", "it, on " + want.Trigger.ID, FromManifest})
			continue
		case len(found) > 1:
			rep.Drifts = append(rep.Drifts, Drift{want.Name, "action", fmt.Sprintf("%d actions of that name", len(found)), "exactly one", FromManifest})
		}
		got, err := r.Action(ctx, found[0].GetID())
		if err != nil {
			return Report{}, err
		}
		rep.Drifts = append(rep.Drifts, compareAction(want, got)...)
		if len(want.Secrets) > 0 {
			rep.Secrets = append(rep.Secrets, secretsOf(want, got))
		}
		rep.Actions++
	}
	order, _ := Triggers(m)
	for _, trigger := range order {
		bs, err := r.Bindings(ctx, trigger)
		if err != nil {
			return Report{}, err
		}
		rep.Drifts = append(rep.Drifts, compareBindings(trigger, bound[trigger], m, bs)...)
	}
	return rep, nil
}

// compareAction returns how got differs from want.
func compareAction(want bundle.ManifestAction, got Action) []Drift {
	var ds []Drift
	add := func(what, tenant, wanted string) {
		ds = append(ds, Drift{want.Name, what, tenant, wanted, FromManifest})
	}
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
		add("secret names", quoteOr(secretNames(got.GetSecrets()), "none")+", of which "+quoteOr(sortedJoin(extra), "none")+" not the build's",
			"only "+quoteOr(sortedJoin(want.Secrets), "none")+" (an unset one is left out; lacking "+quoteOr(sortedJoin(secretsOf(want, got).Missing), "none")+")")
	}
	return ds
}

// secretsOf returns which of want's secret names got holds and lacks.
func secretsOf(want bundle.ManifestAction, got Action) Secrets {
	s := Secrets{Action: want.Name}
	held := heldSecrets(got.GetSecrets())
	for _, name := range slices.Sorted(slices.Values(want.Secrets)) {
		if slices.Contains(held, name) {
			s.Present = append(s.Present, name)
		} else {
			s.Missing = append(s.Missing, name)
		}
	}
	return s
}

// compareBindings returns how a trigger's bindings bs differ from want, the
// list deploy/ binds (another action is known by its id there, its name
// only shown): an action bound that want does not hold (at its position in
// the tenant's list), one of want missing or bound twice, and another
// order.
func compareBindings(trigger string, want []deploycheck.Bound, m bundle.Manifest, bs []management.ActionBinding) []Drift {
	subject := "trigger " + trigger
	var ds []Drift
	wanted := map[deploycheck.Bound]deploycheck.Bound{} // by key
	for _, w := range want {
		wanted[key(w)] = w
	}
	count := map[deploycheck.Bound]int{}
	var order []deploycheck.Bound // wanted actions as bound, first binding of each
	for i, b := range bs {
		got := boundAs(b, m)
		k := key(got)
		count[k]++
		w, ok := wanted[k]
		other, built := m.Action(got.Name)
		switch {
		case ok && count[k] == 1:
			order = append(order, w)
		case ok:
		case built:
			ds = append(ds, Drift{got.Name, "binding", fmt.Sprintf("a binding to %s (position %d)", trigger, i+1), "bound to " + other.Trigger.ID + " only", FromManifest})
		default:
			ds = append(ds, Drift{subject, fmt.Sprintf("position %d", i+1),
				label(got) + " bound, an action neither build/manifest.json nor deploy/ names (it runs on every " + trigger + ")",
				"no such binding (declare it in deploy/ if it must run here; terraform apply would unbind it)", FromDeploy})
		}
	}
	for i, w := range want {
		switch n := count[key(w)]; {
		case n == 0:
			ds = append(ds, Drift{subject, "binding of " + label(w), "none", fmt.Sprintf("one (position %d)", i+1), FromDeploy})
		case n > 1:
			ds = append(ds, Drift{subject, "binding of " + label(w), fmt.Sprintf("%d bindings", n), "one", FromDeploy})
		}
	}
	if wantOrder := present(want, count); !slices.Equal(order, wantOrder) {
		ds = append(ds, Drift{subject, "order", labels(order), labels(wantOrder), FromDeploy})
	}
	return ds
}

// boundAs returns a binding as deploy/ would declare it: a built action by
// its name, any other by its name and id.
func boundAs(b management.ActionBinding, m bundle.Manifest) deploycheck.Bound {
	name := b.GetAction().GetName()
	if _, built := m.Action(name); built {
		return deploycheck.Bound{Name: name}
	}
	return deploycheck.Bound{Name: name, ID: b.GetAction().GetID()}
}

// key is what identifies a bound action: a built one's name, another's id.
func key(b deploycheck.Bound) deploycheck.Bound {
	if b.ID == "" {
		return b
	}
	return deploycheck.Bound{ID: b.ID}
}

// label names a bound action in drift: a built one by its name, another
// with its id.
func label(b deploycheck.Bound) string {
	if b.ID == "" {
		return b.Name
	}
	return fmt.Sprintf("%s (id %s)", quoteOr(b.Name, "an unnamed action"), b.ID)
}

// labels names bound actions in order.
func labels(bs []deploycheck.Bound) string {
	parts := make([]string, len(bs))
	for i, b := range bs {
		parts[i] = label(b)
	}
	return strings.Join(parts, " then ")
}

// present returns the actions in want that are bound at all, in want's
// order.
func present(want []deploycheck.Bound, count map[deploycheck.Bound]int) []deploycheck.Bound {
	var out []deploycheck.Bound
	for _, n := range want {
		if count[key(n)] > 0 {
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

func secretNames(ss []management.ActionSecret) string { return sortedJoin(heldSecrets(ss)) }

// heldSecrets returns the names of secrets ss.
func heldSecrets(ss []management.ActionSecret) []string {
	names := make([]string, len(ss))
	for i, s := range ss {
		names[i] = s.GetName()
	}
	return names
}

func sortedJoin(parts []string) string {
	parts = slices.Clone(parts)
	slices.Sort(parts)
	return strings.Join(parts, ", ")
}
