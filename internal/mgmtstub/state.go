package mgmtstub

import (
	"crypto/rand"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/auth0/go-auth0/management"
)

// state is the tenant: actions (in creation order) and bindings per trigger.
type state struct {
	actions  []*action
	bindings map[string][]*binding
}

func newState() *state { return &state{bindings: map[string][]*binding{}} }

// action is one stored action: its draft, its versions and its secrets'
// values.
type action struct {
	id, name         string
	code, runtime    string
	triggers         []management.ActionTrigger
	deps             []management.ActionDependency
	secrets          []secret
	status           string // the draft's build: pending, building, retrying, built, failed
	gen              int    // the draft's build generation: a change starts the next
	modules          string // the built draft's node_modules folder
	failure          string // why its last build failed
	dirty            bool   // the draft differs from the deployed version
	versions         []*version
	created, updated time.Time
}

// secret is a stored secret, value included.
type secret struct {
	name, value string
	updated     time.Time
}

// version is a deployed version: a copy of the draft at deploy time.
type version struct {
	id       string
	number   int
	code     string
	runtime  string
	triggers []management.ActionTrigger
	deps     []management.ActionDependency
	secrets  []secret
	modules  string // the node_modules folder its build installed
	created  time.Time
}

// binding is an action bound to a trigger.
type binding struct {
	id, actionID, displayName string
	created, updated          time.Time
}

// deployed returns the deployed version, or nil.
func (a *action) deployed() *version {
	if len(a.versions) == 0 {
		return nil
	}
	return a.versions[len(a.versions)-1]
}

func (s *state) byID(id string) (*action, bool) {
	for _, a := range s.actions {
		if a.id == id {
			return a, true
		}
	}
	return nil, false
}

func (s *state) byName(name string) (*action, bool) {
	for _, a := range s.actions {
		if a.name == name {
			return a, true
		}
	}
	return nil, false
}

// boundTo returns the triggers that bind action id.
func (s *state) boundTo(id string) []string {
	var triggers []string
	for t, bs := range s.bindings {
		for _, b := range bs {
			if b.actionID == id {
				triggers = append(triggers, t)
				break
			}
		}
	}
	slices.Sort(triggers)
	return triggers
}

func (s *state) remove(id string) {
	s.actions = slices.DeleteFunc(s.actions, func(a *action) bool { return a.id == id })
	for t, bs := range s.bindings {
		s.bindings[t] = slices.DeleteFunc(bs, func(b *binding) bool { return b.actionID == id })
	}
}

// newID returns a random UUID (version 4), the form of Auth0's action,
// version and binding ids.
func newID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("mgmtstub: crypto/rand failed: " + err.Error()) // crypto/rand never fails on Linux
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// now is the time as Auth0 stamps it: UTC, in RFC 3339 with fractions.
func now() time.Time { return time.Now().UTC() }

// knownTriggers are the trigger ids the stand-in accepts, with their
// current version.
var knownTriggers = map[string]string{
	"post-login":                    "v3",
	"credentials-exchange":          "v2",
	"pre-user-registration":         "v2",
	"post-user-registration":        "v2",
	"post-change-password":          "v2",
	"send-phone-message":            "v2",
	"password-reset-post-challenge": "v1",
}

// triggerIDs returns the known trigger ids, sorted.
func triggerIDs() []string {
	return slices.Sorted(maps.Keys(knownTriggers))
}
