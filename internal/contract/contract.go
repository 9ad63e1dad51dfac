// Package contract declares what an action may read and do. Each action
// declares its Contract next to its decision logic; the build embeds it in the
// bundle, and both hosts (the shim and internal/host) enforce it: they pass the
// module only the fields in Reads and make only the calls that Check allows.
package contract

import (
	"errors"
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
	// Calls lists the api calls the action may make.
	Calls []CallSpec
	// Outcomes lists every reason code the action may give.
	Outcomes []Outcome
	// Fallback is made instead of the action's calls when the action fails.
	Fallback []abi.Call
}

// Outcome names the decision a reason code stands for.
type Outcome struct {
	Reason   string
	Decision string
}

// CallSpec allows up to Max calls of Op with arguments matching Args.
type CallSpec struct {
	Op   string
	Max  int
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

// Decision returns the decision for reason, and false when the contract does
// not know the reason.
func (c Contract) Decision(reason string) (string, bool) {
	for _, o := range c.Outcomes {
		if o.Reason == reason {
			return o.Decision, true
		}
	}
	return "", false
}

// Check returns the decision res stands for, or an error when the contract
// does not allow res. The error names the call and argument, never an
// argument's value.
func (c Contract) Check(res abi.Result) (string, error) {
	decision, ok := c.Decision(res.Reason)
	if !ok {
		return "", errors.New("unknown reason code (" + strconv.Itoa(len(res.Reason)) + " bytes)")
	}
	return decision, c.checkCalls(res.Calls)
}

func (c Contract) checkCalls(calls []abi.Call) error {
	made := make([]int, len(c.Calls))
	for i, call := range calls {
		where := "call " + strconv.Itoa(i+1)
		s := c.spec(call.Op)
		if s < 0 {
			return errors.New(where + ": op not in the contract")
		}
		if made[s]++; made[s] > c.Calls[s].Max {
			return errors.New(where + ": more than " + strconv.Itoa(c.Calls[s].Max) + " " + call.Op + " calls")
		}
		if err := c.Calls[s].checkArgs(call.Args); err != nil {
			return errors.New(where + " " + call.Op + ": " + err.Error())
		}
	}
	return nil
}

func (c Contract) spec(op string) int {
	for i, s := range c.Calls {
		if s.Op == op {
			return i
		}
	}
	return -1
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
)

// Decider is an action's pure decision: the fields of its contract's Reads,
// in order, to a result.
type Decider func([]abi.Value) abi.Result
