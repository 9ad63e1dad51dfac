package mgmtstub

import (
	"time"

	"github.com/auth0/go-auth0/management"
)

// actionJSON is an action as Auth0 sends it: go-auth0's management.Action,
// with all_changes_deployed always present and a deployed_version that
// carries what go-auth0's ActionVersion has no field for.
type actionJSON struct {
	management.Action
	AllChangesDeployed bool         `json:"all_changes_deployed"`
	DeployedVersion    *versionJSON `json:"deployed_version,omitempty"`
}

// versionJSON is an action version as Auth0 sends it.
type versionJSON struct {
	management.ActionVersion
	Runtime           string                     `json:"runtime,omitempty"`
	SupportedTriggers []management.ActionTrigger `json:"supported_triggers,omitempty"`
	Secrets           []management.ActionSecret  `json:"secrets,omitempty"`
}

// actionList is the list envelope of GET /actions/actions. As recorded, a
// zero page is left out, and so is the total on a page past the end.
type actionList struct {
	Actions []actionJSON `json:"actions"`
	Total   int          `json:"total,omitempty"`
	Page    int          `json:"page,omitempty"`
	PerPage int          `json:"per_page"`
}

// versionList is the list envelope of GET /actions/actions/{id}/versions.
type versionList struct {
	Versions []versionJSON `json:"versions"`
	Total    int           `json:"total"`
	Page     int           `json:"page"`
	PerPage  int           `json:"per_page"`
}

// bindingList is the list envelope of GET and PATCH bindings. Like Auth0's,
// it leaves out a zero total or page.
type bindingList struct {
	Bindings []management.ActionBinding `json:"bindings"`
	Total    int                        `json:"total,omitempty"`
	Page     int                        `json:"page,omitempty"`
	PerPage  int                        `json:"per_page"`
}

func str(s string) *string { return &s }

func stamp(t time.Time) *time.Time { return &t }

// hiddenSecrets returns secrets as Auth0 shows them: name and updated_at.
func hiddenSecrets(ss []secret) []management.ActionSecret {
	out := make([]management.ActionSecret, len(ss))
	for i, s := range ss {
		out[i] = management.ActionSecret{Name: str(s.name), UpdatedAt: stamp(s.updated)}
	}
	return out
}

func copyTriggers(ts []management.ActionTrigger) []management.ActionTrigger {
	out := make([]management.ActionTrigger, len(ts))
	for i, t := range ts {
		out[i] = management.ActionTrigger{ID: str(t.GetID()), Version: str(t.GetVersion())}
		if t.Status != nil {
			out[i].Status = str(t.GetStatus())
		}
	}
	return out
}

func copyDeps(ds []management.ActionDependency) []management.ActionDependency {
	out := make([]management.ActionDependency, len(ds))
	for i, d := range ds {
		out[i] = management.ActionDependency{Name: str(d.GetName()), Version: str(d.GetVersion())}
		if d.RegistryURL != nil {
			out[i].RegistryURL = str(d.GetRegistryURL())
		}
	}
	return out
}

// wire returns a as Auth0 sends it.
func (a *action) wire() actionJSON {
	deps := copyDeps(a.deps)
	secrets := hiddenSecrets(a.secrets)
	out := actionJSON{Action: management.Action{
		ID: str(a.id), Name: str(a.name), SupportedTriggers: copyTriggers(a.triggers),
		Code: str(a.code), Dependencies: &deps, Runtime: str(a.runtime), Secrets: &secrets,
		Status: str(a.status), CreatedAt: stamp(a.created), UpdatedAt: stamp(a.updated),
	}}
	if v := a.deployed(); v != nil {
		w := v.wire(a, true)
		out.DeployedVersion = &w
		out.AllChangesDeployed = !a.dirty
		out.BuiltAt = stamp(v.created)
	}
	return out
}

// summary returns a as Auth0 embeds it in a binding or a version.
func (a *action) summary() *management.Action {
	return &management.Action{
		ID: str(a.id), Name: str(a.name), SupportedTriggers: copyTriggers(a.triggers),
		CreatedAt: stamp(a.created), UpdatedAt: stamp(a.updated),
	}
}

// wire returns v as Auth0 sends it; deployed says whether it is the
// deployed version.
func (v *version) wire(a *action, deployed bool) versionJSON {
	deps := copyDeps(v.deps)
	depPtrs := make([]*management.ActionDependency, len(deps))
	for i := range deps {
		depPtrs[i] = &deps[i]
	}
	return versionJSON{
		ActionVersion: management.ActionVersion{
			ID: str(v.id), Code: str(v.code), Dependencies: depPtrs, Deployed: deployed,
			Status: str(management.ActionStatusBuilt), Number: v.number, Action: a.summary(),
			BuiltAt: stamp(v.created), CreatedAt: stamp(v.created), UpdatedAt: stamp(v.created),
		},
		Runtime: v.runtime, SupportedTriggers: copyTriggers(v.triggers), Secrets: hiddenSecrets(v.secrets),
	}
}

// wire returns b as Auth0 sends it, its action embedded.
func (b *binding) wire(trigger string, a *action) management.ActionBinding {
	return management.ActionBinding{
		ID: str(b.id), TriggerID: str(trigger), DisplayName: str(b.displayName), Action: a.summary(),
		CreatedAt: stamp(b.created), UpdatedAt: stamp(b.updated),
	}
}
