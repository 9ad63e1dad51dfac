package mgmtstub

import (
	"fmt"
	"net/http"

	"github.com/auth0/go-auth0/management"
)

// bindingsPatch is the body of PATCH /actions/triggers/{trigger}/bindings.
type bindingsPatch struct {
	Bindings *[]management.ActionBinding `json:"bindings"`
}

// trigger returns the trigger the path names, or answers 404.
func trigger(w http.ResponseWriter, r *http.Request) (string, bool) {
	t := r.PathValue("trigger")
	if _, ok := knownTriggers[t]; !ok {
		notFound(w, fmt.Sprintf("The trigger '%s' does not exist.", t))
		return "", false
	}
	return t, true
}

func (s *Server) listBindings(w http.ResponseWriter, r *http.Request) {
	var ignored any
	if _, ok := readBody(w, r, &ignored); !ok {
		return
	}
	t, ok := trigger(w, r)
	if !ok {
		return
	}
	page, perPage, ok := paging(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	all := s.wireBindings(t)
	lo, hi := window(len(all), page, perPage)
	list := bindingList{Bindings: all[lo:hi], Page: page, PerPage: perPage}
	if hi > lo {
		// As Auth0 does, a page past the end carries no total: go-auth0's
		// HasNext (total > start+limit, never sent here) ends paging on it,
		// and the auth0 provider pages until HasNext is false.
		list.Total = len(all)
	}
	writeJSON(w, http.StatusOK, list)
}

// wireBindings returns trigger's bindings as Auth0 sends them, in order.
func (s *Server) wireBindings(trigger string) []management.ActionBinding {
	out := []management.ActionBinding{}
	for _, b := range s.state.bindings[trigger] {
		a, ok := s.state.byID(b.actionID)
		if !ok {
			continue // never happens: deleting an action removes its bindings
		}
		out = append(out, b.wire(trigger, a))
	}
	return out
}

func (s *Server) updateBindings(w http.ResponseWriter, r *http.Request) {
	var in bindingsPatch
	present, ok := readBody(w, r, &in)
	if !ok {
		return
	}
	if !present || in.Bindings == nil {
		badRequest(w, "Payload validation error: 'Missing required property: bindings'.")
		return
	}
	t, ok := trigger(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	next := make([]*binding, 0, len(*in.Bindings))
	stamp := now()
	for i, b := range *in.Bindings {
		a, msg := s.resolve(b.Ref, t)
		if msg != "" {
			badRequest(w, fmt.Sprintf("bindings[%d]: %s", i, msg))
			return
		}
		nb := &binding{id: newID(), actionID: a.id, displayName: b.GetDisplayName(), created: stamp, updated: stamp}
		if nb.displayName == "" {
			nb.displayName = a.name
		}
		next = append(next, nb)
	}
	s.state.bindings[t] = next
	all := s.wireBindings(t)
	writeJSON(w, http.StatusOK, bindingList{Bindings: all, Total: len(all), Page: 0, PerPage: len(all)})
}

// resolve returns the action ref names, checking that it can be bound to
// trigger: it supports the trigger and has a deployed version. Otherwise it
// returns why not.
func (s *Server) resolve(ref *management.ActionBindingReference, trigger string) (*action, string) {
	if ref == nil || ref.GetValue() == "" {
		return nil, "'Missing required property: ref'"
	}
	var a *action
	var ok bool
	switch ref.GetType() {
	case management.ActionBindingReferenceByID:
		a, ok = s.state.byID(ref.GetValue())
	case management.ActionBindingReferenceByName:
		a, ok = s.state.byName(ref.GetValue())
	default:
		return nil, fmt.Sprintf("ref type '%s' is neither action_id nor action_name", ref.GetType())
	}
	switch {
	case !ok:
		return nil, fmt.Sprintf("no action with %s '%s'", ref.GetType(), ref.GetValue())
	case !supports(a, trigger):
		return nil, fmt.Sprintf("action '%s' does not support the trigger '%s'", a.name, trigger)
	case a.deployed() == nil:
		return nil, fmt.Sprintf("action '%s' has no deployed version: deploy it before binding it", a.name)
	}
	return a, ""
}
