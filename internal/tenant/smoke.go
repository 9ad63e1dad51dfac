package tenant

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/floatme/auth0-wasm-actions/internal/bundle"
	"github.com/floatme/auth0-wasm-actions/internal/cases"
)

// Outcome is what became of one case.
type Outcome int

// The outcomes of a case.
const (
	Passed Outcome = iota
	Failed
	Skipped
)

func (o Outcome) String() string { return [...]string{"PASS", "FAIL", "SKIP"}[o] }

// CaseResult is one case's outcome, with why when it failed or was skipped.
type CaseResult struct {
	Action  string
	Case    cases.Case
	Outcome Outcome
	Detail  string
}

// String is the result as one line.
func (r CaseResult) String() string {
	line := fmt.Sprintf("%s  %s: %s (testdata/%s)", r.Outcome, r.Action, r.Case.Name, r.Case.File)
	if r.Detail != "" {
		line += ": " + r.Detail
	}
	return line
}

// SmokeOptions configures Smoke.
type SmokeOptions struct {
	// Cases returns an action's cases (cases.LoadDir on the cases folder).
	Cases func(action string) ([]cases.Case, error)
	// Secrets are the values of the tenant's secrets, per action and name,
	// as configured for the deploy. The API never returns them; a secret
	// the tenant has and this does not give is unknown, and every case
	// that depends on it is skipped.
	Secrets map[string]map[string]string
	// Only, when not empty, names the actions to test.
	Only []string
	// Parallel is how many tests run at once (at least 1).
	Parallel int
}

// SmokeReport is what Smoke found, per action in manifest order.
type SmokeReport struct {
	Results []CaseResult
	Errors  []string // per action: what kept it from being tested
}

// Count returns how many results have outcome o.
func (r SmokeReport) Count(o Outcome) int {
	n := 0
	for _, c := range r.Results {
		if c.Outcome == o {
			n++
		}
	}
	return n
}

// OK says whether nothing failed and every action was tested.
func (r SmokeReport) OK() bool { return r.Count(Failed) == 0 && len(r.Errors) == 0 }

// Smoke runs each action's cases through the tenant's "test an action"
// with the case's event, and compares the api calls the action made (and
// the reason in its log line) with the case's. Auth0 tests an action's
// draft and sets event.secrets from the action's own secrets, so an action
// whose draft is not its deployed version is not tested, and a case runs
// only when its event.secrets agree with the tenant's secrets for every
// secret the manifest names (opts.Secrets gives the values).
func Smoke(ctx context.Context, r Reader, m bundle.Manifest, opts SmokeOptions) (SmokeReport, error) {
	all, err := r.Actions(ctx)
	if err != nil {
		return SmokeReport{}, err
	}
	var rep SmokeReport
	for _, want := range m.Actions {
		if len(opts.Only) > 0 && !slices.Contains(opts.Only, want.Name) {
			continue
		}
		results, problem, err := smokeAction(ctx, r, want, all, opts)
		if err != nil {
			return SmokeReport{}, err
		}
		if problem != "" {
			rep.Errors = append(rep.Errors, want.Name+": "+problem)
		}
		rep.Results = append(rep.Results, results...)
	}
	for _, name := range opts.Only {
		if _, ok := m.Action(name); !ok {
			rep.Errors = append(rep.Errors, name+": not in build/manifest.json")
		}
	}
	return rep, nil
}

// smokeAction tests one action; problem says what kept it from being
// tested, err what kept the tenant from answering.
func smokeAction(ctx context.Context, r Reader, want bundle.ManifestAction, all []Action, opts SmokeOptions) ([]CaseResult, string, error) {
	id := ""
	for _, a := range all {
		if a.GetName() == want.Name {
			id = a.GetID()
			break
		}
	}
	if id == "" {
		return nil, "no action of that name on the tenant (" + Fix + ")", nil
	}
	a, err := r.Action(ctx, id)
	if err != nil {
		return nil, "", err
	}
	if a.DeployedVersion == nil || !a.AllChangesDeployed || a.DeployedVersion.GetCode() != a.GetCode() {
		return nil, "its draft is not its deployed version, and Auth0 tests the draft (" + Fix + ")", nil
	}
	cs, err := opts.Cases(want.Name)
	if err != nil {
		return nil, "cases: " + err.Error(), nil
	}
	tenantSecrets := knownSecrets(a, opts.Secrets[want.Name])
	results := make([]CaseResult, len(cs))
	jobs := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	for range max(opts.Parallel, 1) {
		wg.Go(func() {
			for i := range jobs {
				res, err := runCase(ctx, r, want, id, cs[i], tenantSecrets)
				results[i] = res
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
				}
			}
		})
	}
	for i := range cs {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		return nil, "", firstErr
	}
	if (SmokeReport{Results: results}).Count(Skipped) == len(cs) {
		return results, "no case could run: every case needs secrets the tenant's do not match (pass the tenant's secret values with -secrets)", nil
	}
	return results, "", nil
}

// secretValue is a secret's value ("" when unset), and whether it is set
// on the tenant with a value nobody gave.
type secretValue struct {
	value   string
	unknown bool
}

// knownSecrets returns the tenant's secrets by name: set when the action
// has it, its value from given, unknown when given lacks it.
func knownSecrets(a Action, given map[string]string) map[string]secretValue {
	out := map[string]secretValue{}
	for _, s := range a.GetSecrets() {
		v, ok := given[s.GetName()]
		out[s.GetName()] = secretValue{value: v, unknown: !ok}
	}
	return out
}

// runCase tests one case; err is the tenant failing to answer.
func runCase(ctx context.Context, r Reader, want bundle.ManifestAction, id string, c cases.Case, tenant map[string]secretValue) (CaseResult, error) {
	res := CaseResult{Action: want.Name, Case: c}
	var event map[string]any
	if err := json.Unmarshal(c.Event, &event); err != nil || event == nil {
		res.Outcome, res.Detail = Skipped, "the event is not a JSON object, and the test endpoint takes only objects"
		return res, nil
	}
	if why := secretsDiffer(event, want.Secrets, tenant); why != "" {
		res.Outcome, res.Detail = Skipped, why
		return res, nil
	}
	got, err := r.TestAction(ctx, id, c.Event)
	if err != nil {
		return res, err
	}
	res.Outcome, res.Detail = judge(want.Name, c, got)
	return res, nil
}

// secretsDiffer says why the case's secrets are not the tenant's, or "".
// A secret unset and one set to "" are the same, as they are to these
// actions (unset or empty means the default). It names secrets, never
// values.
func secretsDiffer(event map[string]any, names []string, tenant map[string]secretValue) string {
	caseSecrets, isObject := event["secrets"].(map[string]any)
	if !isObject {
		caseSecrets = map[string]any{}
	}
	var diffs []string
	for _, name := range names {
		t := tenant[name]
		v, inCase := caseSecrets[name]
		s, isString := v.(string)
		switch {
		case t.unknown:
			diffs = append(diffs, name+" (its value on the tenant was not given)")
		case inCase && !isString:
			diffs = append(diffs, name+" (the case's is not a string)")
		case s != t.value:
			diffs = append(diffs, name)
		}
	}
	if len(diffs) == 0 {
		return ""
	}
	return "secrets differ from the tenant's: " + strings.Join(diffs, ", ")
}

// logLine matches an execution's log line.
var logLine = regexp.MustCompile(`(?m)^\[([a-z_]+)\] decision=(\S+) reason=(\S+) calls=(\d+)`)

// judge compares a test's answer with the case.
func judge(action string, c cases.Case, got TestPayload) (Outcome, string) {
	if got.Error != nil {
		return Failed, fmt.Sprintf("the action threw %s: %s", got.Error.Name, got.Error.Message)
	}
	var problems []string
	if got.Calls != nil {
		if !sameJSON(got.Calls, c.Calls) {
			problems = append(problems, fmt.Sprintf("calls: got %s, want %s", jsonOf(got.Calls), jsonOf(c.Calls)))
		}
	}
	m := logLine.FindStringSubmatch(got.Logs)
	switch {
	case m == nil && got.Calls == nil:
		return Failed, "the answer holds neither the api calls nor the action's log line"
	case m == nil:
		problems = append(problems, "no log line from the action")
	case m[1] != action:
		problems = append(problems, fmt.Sprintf("log line names %s, want %s", m[1], action))
	case m[3] != c.Reason:
		problems = append(problems, fmt.Sprintf("reason: got %s, want %s", m[3], c.Reason))
	}
	if len(problems) > 0 {
		return Failed, strings.Join(problems, "; ")
	}
	return Passed, ""
}

// sameJSON says whether a and b encode to the same JSON values.
func sameJSON(a, b any) bool {
	var x, y any
	errA := json.Unmarshal([]byte(jsonOf(a)), &x)
	errB := json.Unmarshal([]byte(jsonOf(b)), &y)
	if errA != nil || errB != nil {
		return false
	}
	if x == nil {
		x = []any{}
	}
	if y == nil {
		y = []any{}
	}
	return reflect.DeepEqual(x, y)
}

func jsonOf(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("(unencodable: %v)", err)
	}
	return string(data)
}
