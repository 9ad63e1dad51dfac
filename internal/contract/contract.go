// Package contract declares what an action may read and do. Each action
// declares its Contract next to its decision logic; the build embeds it in the
// bundle, and both hosts (the shim and internal/host) enforce it: they pass the
// module only the fields in Reads and make only the calls that Check allows.
package contract

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/floatme/auth0-wasm-actions/internal/abi"
)

// Trigger is an Auth0 trigger and the handler a bundle exports for it.
type Trigger struct {
	ID      string `json:"id"`
	Version string `json:"version"`
	Handler string `json:"handler"`
}

// The triggers the actions bind to.
var (
	PostLogin           = Trigger{ID: "post-login", Version: "v3", Handler: "onExecutePostLogin"}
	PreUserRegistration = Trigger{ID: "pre-user-registration", Version: "v2", Handler: "onExecutePreUserRegistration"}
)

// SecretsPrefix starts every field read from the Action's secrets.
const SecretsPrefix = "secrets."

// Contract is one action's capabilities and failure policy.
type Contract struct {
	// Action is the action's name, which names its bundle and module too.
	Action  string
	Trigger Trigger
	// Reads lists the event paths the action reads, in request order
	// ("user.email", "secrets.TEST_TENANT_ID").
	Reads []string
	// Outcomes lists every reason code the action may give, each with the
	// decision it stands for and the exact calls it takes.
	Outcomes []Outcome
	// Fallback is made instead of the action's calls when the action fails.
	Fallback []abi.Call
	// Guarded lists the calls the login policy depends on, apart from the
	// fallback: a change that makes one of them less often weakens the
	// policy (actions diff), whether the action fails open or closed.
	// AlwaysGuarded is added to every contract's.
	Guarded []Guard
}

// Guard is a call the policy depends on: a call of Op whose first
// arguments are Args (every call of Op when Args is empty).
type Guard struct {
	Op   string
	Args []abi.Value `json:",omitempty"`
}

// AlwaysGuarded is guarded in every contract: a call that refuses a login
// or a sign-up is never dropped unnoticed.
var AlwaysGuarded = []Guard{{Op: OpAccessDeny}}

// Guards returns c.Guarded, then each of AlwaysGuarded it lacks.
func (c Contract) Guards() []Guard {
	gs := slices.Clone(c.Guarded)
	for _, g := range AlwaysGuarded {
		if !slices.ContainsFunc(gs, g.Equal) {
			gs = append(gs, g)
		}
	}
	return gs
}

// Matches reports whether call is one g guards.
func (g Guard) Matches(call abi.Call) bool {
	return call.Op == g.Op && len(call.Args) >= len(g.Args) &&
		slices.EqualFunc(call.Args[:len(g.Args)], g.Args, abi.Value.Equal)
}

// Equal reports whether g and h guard the same calls.
func (g Guard) Equal(h Guard) bool {
	return g.Op == h.Op && slices.EqualFunc(g.Args, h.Args, abi.Value.Equal)
}

// Outcome is one reason code, the decision it stands for, and the calls a
// result with that reason must make: exactly these, in this order.
type Outcome struct {
	Reason   string
	Decision string
	Calls    []CallSpec
}

// CallSpec is one api call: its op and its arguments.
type CallSpec struct {
	Op   string
	Args []ArgSpec
}

// ArgSpec constrains one argument: its kind, and when OneOf is not empty its
// value; MaxLen, when positive, caps a string's length in bytes.
type ArgSpec struct {
	Kind   abi.Kind
	OneOf  []abi.Value
	MaxLen int
}

// Secrets returns the names of the secrets the action reads; never nil.
func (c Contract) Secrets() []string {
	names := []string{}
	for _, p := range c.Reads {
		if name, ok := strings.CutPrefix(p, SecretsPrefix); ok {
			names = append(names, name)
		}
	}
	return names
}

// outcome returns the outcome of reason, and false when there is none.
func (c Contract) outcome(reason string) (Outcome, bool) {
	for _, o := range c.Outcomes {
		if o.Reason == reason {
			return o, true
		}
	}
	return Outcome{}, false
}

// Check returns the decision res stands for, or an error when the contract
// does not allow res: an unknown reason, or calls that are not exactly the
// ones its reason takes. The error never holds a value from res.
func (c Contract) Check(res abi.Result) (string, error) {
	o, ok := c.outcome(res.Reason)
	if !ok {
		return "", errors.New("unknown reason code (" + strconv.Itoa(len(res.Reason)) + " bytes)")
	}
	if len(res.Calls) != len(o.Calls) {
		return "", errors.New("reason " + o.Reason + " takes " + strconv.Itoa(len(o.Calls)) +
			" calls, got " + strconv.Itoa(len(res.Calls)))
	}
	for i, call := range res.Calls {
		where := "call " + strconv.Itoa(i+1)
		if call.Op != o.Calls[i].Op {
			return "", errors.New(where + ": op is not " + o.Calls[i].Op)
		}
		if err := o.Calls[i].checkArgs(call.Args); err != nil {
			return "", errors.New(where + " " + call.Op + ": " + err.Error())
		}
	}
	return o.Decision, nil
}

func (s CallSpec) checkArgs(args []abi.Value) error {
	if len(args) != len(s.Args) {
		return errors.New(strconv.Itoa(len(args)) + " arguments, want " + strconv.Itoa(len(s.Args)))
	}
	for i, a := range args {
		if err := s.Args[i].check(a); err != nil {
			return errors.New("argument " + strconv.Itoa(i+1) + ": " + err.Error())
		}
	}
	return nil
}

// Allows reports whether a call may pass v for this argument.
func (a ArgSpec) Allows(v abi.Value) bool { return a.check(v) == nil }

func (a ArgSpec) check(v abi.Value) error {
	if v.Kind != a.Kind {
		return errors.New("kind " + v.Kind.String() + ", want " + a.Kind.String())
	}
	if a.MaxLen > 0 && len(v.Str) > a.MaxLen {
		return errors.New("longer than " + strconv.Itoa(a.MaxLen) + " bytes")
	}
	if len(a.OneOf) == 0 {
		return nil
	}
	for _, w := range a.OneOf {
		if v.Equal(w) {
			return nil
		}
	}
	return errors.New("value not allowed")
}

// The api calls actions make, named by their path under Auth0's api object.
const (
	OpMultifactorEnable = "multifactor.enable"
	OpSetAppMetadata    = "user.setAppMetadata"
	OpSetUserMetadata   = "user.setUserMetadata"
	OpAccessDeny        = "access.deny"
)

// Decider is an action's pure decision: the fields of its contract's Reads,
// in order, to a result.
type Decider func([]abi.Value) abi.Result
