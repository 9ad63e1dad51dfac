package mgmtstub

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/auth0/go-auth0/management"
)

// defaultRuntime is the runtime of an action created without one.
const defaultRuntime = "node18"

func (s *Server) createAction(w http.ResponseWriter, r *http.Request) {
	var in management.Action
	present, ok := readBody(w, r, &in)
	if !ok {
		return
	}
	if !present || in.GetName() == "" {
		badRequest(w, "Payload validation error: 'Missing required property: name'.")
		return
	}
	if msg := invalid(in, true); msg != "" {
		badRequest(w, msg)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.nameTaken(w, in.GetName()) {
		return
	}
	t := now()
	a := &action{
		id: newID(), name: in.GetName(), code: in.GetCode(), runtime: in.GetRuntime(),
		triggers: copyTriggers(in.SupportedTriggers), deps: []management.ActionDependency{},
		dirty: true, created: t, updated: t,
	}
	if a.runtime == "" {
		a.runtime = defaultRuntime
	}
	if in.Dependencies != nil {
		a.deps = copyDeps(*in.Dependencies)
	}
	if in.Secrets != nil {
		a.secrets = mergeSecrets(nil, *in.Secrets, t)
	}
	s.state.actions = append(s.state.actions, a)
	s.rebuild(a)
	writeJSON(w, http.StatusCreated, a.wire())
}

func (s *Server) listActions(w http.ResponseWriter, r *http.Request) {
	page, perPage, ok := paging(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	s.mu.Lock()
	defer s.mu.Unlock()
	var all []actionJSON
	for _, a := range s.state.actions {
		if name := q.Get("actionName"); name != "" && a.name != name {
			continue
		}
		if tid := q.Get("triggerId"); tid != "" && !supports(a, tid) {
			continue
		}
		if d := q.Get("deployed"); d != "" && (d == "true") != (a.deployed() != nil) {
			continue
		}
		all = append(all, a.wire())
	}
	lo, hi := window(len(all), page, perPage)
	list := actionList{Actions: append([]actionJSON{}, all[lo:hi]...), Page: page, PerPage: perPage}
	if hi > lo {
		list.Total = len(all) // as Auth0's, only on a page that holds actions
	}
	writeJSON(w, http.StatusOK, list)
}

func supports(a *action, trigger string) bool {
	for _, t := range a.triggers {
		if t.GetID() == trigger {
			return true
		}
	}
	return false
}

// withAction runs fn on the action the path names, under the lock, or
// answers 404.
func (s *Server) withAction(w http.ResponseWriter, r *http.Request, fn func(*action)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.state.byID(r.PathValue("id"))
	if !ok {
		notFound(w, "That action does not exist.")
		return
	}
	fn(a)
}

func (s *Server) readAction(w http.ResponseWriter, r *http.Request) {
	var ignored any
	if _, ok := readBody(w, r, &ignored); !ok {
		return
	}
	s.withAction(w, r, func(a *action) {
		writeJSON(w, http.StatusOK, a.wire())
	})
}

func (s *Server) updateAction(w http.ResponseWriter, r *http.Request) {
	var in management.Action
	present, ok := readBody(w, r, &in)
	if !ok {
		return
	}
	if !present {
		badRequest(w, "Payload validation error: 'Expected type object but found type null'.")
		return
	}
	if msg := invalid(in, false); msg != "" {
		badRequest(w, msg)
		return
	}
	s.withAction(w, r, func(a *action) {
		if in.Name != nil && in.GetName() != a.name && s.nameTaken(w, in.GetName()) {
			return
		}
		if applyUpdate(a, in) {
			s.rebuild(a)
		}
		writeJSON(w, http.StatusOK, a.wire())
	})
}

// applyUpdate applies the fields present in in, and reports whether what a
// version holds changed: the draft is then undeployed and must be rebuilt.
// Every update that names them counts as a change of the triggers,
// dependencies and secrets, as the recordings show a rebuild whenever
// the provider sends them.
func applyUpdate(a *action, in management.Action) bool {
	t := now()
	if in.Name != nil {
		a.name = in.GetName()
	}
	changed := false
	set := func(dst *string, src *string) {
		if src != nil && *src != *dst {
			*dst, changed = *src, true
		}
	}
	set(&a.code, in.Code)
	set(&a.runtime, in.Runtime)
	if in.SupportedTriggers != nil {
		a.triggers, changed = copyTriggers(in.SupportedTriggers), true
	}
	if in.Dependencies != nil {
		a.deps, changed = copyDeps(*in.Dependencies), true
	}
	if in.Secrets != nil {
		a.secrets, changed = mergeSecrets(a.secrets, *in.Secrets, t), true
	}
	if changed {
		a.dirty = true
	}
	a.updated = t
	return changed
}

// mergeSecrets returns the secrets in, in order; one given without a value
// keeps the value it had.
func mergeSecrets(old []secret, in []management.ActionSecret, t time.Time) []secret {
	out := make([]secret, 0, len(in))
	for _, n := range in {
		s := secret{name: n.GetName(), value: n.GetValue(), updated: t}
		for _, o := range old {
			if o.name != s.name {
				continue
			}
			if n.Value == nil || o.value == s.value {
				s = o
			}
		}
		out = append(out, s)
	}
	return out
}

// deleteAction deletes an action. One still bound to a trigger is a 409
// with Auth0's message (its body having no errorCode is a guess), unless
// force=true, which removes its bindings too.
func (s *Server) deleteAction(w http.ResponseWriter, r *http.Request) {
	s.withAction(w, r, func(a *action) {
		if len(s.state.boundTo(a.id)) > 0 && r.URL.Query().Get("force") != "true" {
			writeError(w, http.StatusConflict, "", "Unable to delete an action bound to a trigger.")
			return
		}
		s.state.remove(a.id)
		w.WriteHeader(http.StatusNoContent)
	})
}

func (s *Server) deployAction(w http.ResponseWriter, r *http.Request) {
	var ignored any
	if _, ok := readBody(w, r, &ignored); !ok {
		return
	}
	s.withAction(w, r, func(a *action) {
		if notBuilt(w, a, "deployed") {
			return
		}
		t := now()
		v := &version{
			id: newID(), number: len(a.versions) + 1, code: a.code, runtime: a.runtime,
			triggers: copyTriggers(a.triggers), deps: copyDeps(a.deps), secrets: append([]secret(nil), a.secrets...),
			modules: a.modules, created: t,
		}
		a.versions = append(a.versions, v)
		a.dirty = false
		// Auth0 answers before the version is live: deployed is false here
		// and true on the action's deployed_version.
		writeJSON(w, http.StatusOK, v.wire(a, false))
	})
}

func (s *Server) listVersions(w http.ResponseWriter, r *http.Request) {
	page, perPage, ok := paging(w, r)
	if !ok {
		return
	}
	s.withAction(w, r, func(a *action) {
		all := make([]versionJSON, 0, len(a.versions))
		for i := len(a.versions) - 1; i >= 0; i-- { // newest first
			all = append(all, a.versions[i].wire(a, i == len(a.versions)-1))
		}
		lo, hi := window(len(all), page, perPage)
		writeJSON(w, http.StatusOK, versionList{Versions: all[lo:hi], Total: len(all), Page: page, PerPage: perPage})
	})
}

func (s *Server) readVersion(w http.ResponseWriter, r *http.Request) {
	s.withAction(w, r, func(a *action) {
		for i, v := range a.versions {
			if v.id == r.PathValue("version") {
				writeJSON(w, http.StatusOK, v.wire(a, i == len(a.versions)-1))
				return
			}
		}
		notFound(w, "The action version does not exist.")
	})
}

func (s *Server) listTriggers(w http.ResponseWriter, _ *http.Request) {
	var list management.ActionTriggerList
	for _, id := range triggerIDs() {
		list.Triggers = append(list.Triggers, &management.ActionTrigger{ID: str(id), Version: str(knownTriggers[id]), Status: str("CURRENT")})
	}
	writeJSON(w, http.StatusOK, list)
}

// nameTaken says whether another action is called name, answering 409 as
// Auth0 does when it is. The caller holds the lock.
func (s *Server) nameTaken(w http.ResponseWriter, name string) bool {
	if _, dup := s.state.byName(name); dup {
		writeError(w, http.StatusConflict, "", fmt.Sprintf("An action with the name '%s' already exists.", name))
		return true
	}
	return false
}

// invalid returns why an action's triggers or dependencies are refused, or
// "". Triggers are required on create and checked on update when given.
func invalid(in management.Action, create bool) string {
	if create || in.SupportedTriggers != nil {
		if msg := checkTriggers(in.SupportedTriggers); msg != "" {
			return msg
		}
	}
	return checkDeps(in.Dependencies)
}

// checkTriggers returns why triggers are refused, or "".
func checkTriggers(ts []management.ActionTrigger) string {
	if len(ts) != 1 {
		return fmt.Sprintf("Payload validation error: 'supported_triggers' must hold exactly one trigger, got %d.", len(ts))
	}
	id := ts[0].GetID()
	if _, ok := knownTriggers[id]; !ok {
		return fmt.Sprintf("Payload validation error: unknown trigger '%s' (the stand-in knows %s).", id, strings.Join(triggerIDs(), ", "))
	}
	if ts[0].GetVersion() == "" {
		return "Payload validation error: 'Missing required property: version' on supported_triggers."
	}
	return ""
}

// checkDeps returns why dependencies are refused, or "".
func checkDeps(deps *[]management.ActionDependency) string {
	if deps == nil {
		return ""
	}
	for i, d := range *deps {
		if d.GetName() == "" {
			return fmt.Sprintf("Payload validation error: 'Missing required property: name' on dependencies[%d].", i)
		}
	}
	return ""
}
