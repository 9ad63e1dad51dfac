package mgmtstub

import (
	"slices"
	"strings"

	"github.com/auth0/go-auth0/management"
)

// Actions returns every action as the API shows it (secrets by name
// only), sorted by name.
func (s *Server) Actions() []management.Action {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]management.Action, 0, len(s.state.actions))
	for _, a := range s.state.actions {
		w := a.wire()
		act := w.Action
		act.AllChangesDeployed = w.AllChangesDeployed
		if w.DeployedVersion != nil {
			v := w.DeployedVersion.ActionVersion
			act.DeployedVersion = &v
		}
		out = append(out, act)
	}
	slices.SortFunc(out, func(a, b management.Action) int { return strings.Compare(a.GetName(), b.GetName()) })
	return out
}

// SecretValues returns the stored values of an action's secrets by name;
// nil when there is no such action.
func (s *Server) SecretValues(actionID string) map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.state.byID(actionID)
	if !ok {
		return nil
	}
	out := make(map[string]string, len(a.secrets))
	for _, sec := range a.secrets {
		out[sec.name] = sec.value
	}
	return out
}

// Bindings returns a trigger's bindings in order, each with its action.
func (s *Server) Bindings(triggerID string) []management.ActionBinding {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.wireBindings(triggerID)
}

// Deployment is what the deployed version of an action runs: its code, and
// the node_modules folder its build installed (its dependencies).
type Deployment struct {
	Code, Modules string
}

// Deployed returns the deployed version of the action called name, and
// false when there is no such action or it was never deployed.
func (s *Server) Deployed(name string) (Deployment, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.state.byName(name)
	if !ok || a.deployed() == nil {
		return Deployment{}, false
	}
	v := a.deployed()
	return Deployment{Code: v.code, Modules: v.modules}, true
}
