package tenant

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/floatme/auth0-wasm-actions/actions"
	"github.com/floatme/auth0-wasm-actions/internal/bundle"
	"github.com/floatme/auth0-wasm-actions/internal/cases"
	"github.com/floatme/auth0-wasm-actions/internal/contract"
)

// Outcome is what became of one case.
type Outcome int

// The outcomes of a case. Passed: the tenant's answer proves the decision
// (see judge); Failed: it proves another, or the action threw; Unverified:
// the action ran without throwing but the answer cannot show what it
// decided; Skipped: not run; Errored: the tenant gave no usable answer.
const (
	Passed Outcome = iota
	Failed
	Skipped
	Unverified
	Errored
)

func (o Outcome) String() string {
	return [...]string{"PASS", "FAIL", "SKIP", "UNVERIFIED", "ERROR"}[o]
}

// CaseResult is one case's outcome, with why when it did not pass.
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

// DefaultRateLimitWait bounds the total time Smoke waits for the tenant's
// rate limit, unless SmokeOptions say otherwise.
const DefaultRateLimitWait = 5 * time.Minute

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
	// RateLimitWait bounds the total time spent waiting for the tenant's
	// rate limit (after go-auth0's own retries); zero: DefaultRateLimitWait.
	RateLimitWait time.Duration
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

// OK says whether nothing failed or errored and every action was tested.
// Unverified cases do not make a report not OK: Proven says whether every
// case that ran was proven.
func (r SmokeReport) OK() bool {
	return r.Count(Failed) == 0 && r.Count(Errored) == 0 && len(r.Errors) == 0
}

// Proven says whether no case that ran is unverified.
func (r SmokeReport) Proven() bool { return r.Count(Unverified) == 0 }

// Smoke runs each action's cases through the tenant's "test an action",
// each case's event laid over a complete event of the action's trigger,
// and judges each answer (see judge). Auth0 tests an action's draft and
// sets event.secrets from the action's own secrets, so only an action whose
// draft is its deployed version and is the build's bundle (its SHA-256) is
// tested, and a case runs only when its event.secrets agree with the
// tenant's secrets for every secret the manifest names (opts.Secrets gives
// the values). One case's failure, odd answer or tenant error is that
// case's result; 429s are waited out (X-RateLimit-Reset) within
// opts.RateLimitWait. Only the tenant refusing the credentials or the scope,
// or ctx ending, stops the run with an error.
func Smoke(ctx context.Context, r Reader, m bundle.Manifest, opts SmokeOptions) (SmokeReport, error) {
	all, err := r.Actions(ctx)
	if err != nil {
		return SmokeReport{}, err
	}
	budget := opts.RateLimitWait
	if budget == 0 {
		budget = DefaultRateLimitWait
	}
	w := &waiter{left: budget}
	var rep SmokeReport
	for _, want := range m.Actions {
		if len(opts.Only) > 0 && !slices.Contains(opts.Only, want.Name) {
			continue
		}
		results, problem, err := smokeAction(ctx, r, w, want, all, opts)
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
// tested, err what stops the whole run.
func smokeAction(ctx context.Context, r Reader, w *waiter, want bundle.ManifestAction, all []Action, opts SmokeOptions) ([]CaseResult, string, error) {
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
	if h := codeHash(a.GetCode()); h != want.SHA256 {
		return nil, fmt.Sprintf("its code (sha256 %s) is not the build's %s (sha256 %s), and smoke tests the build (%s)", short(h), want.Bundle, short(want.SHA256), Fix), nil
	}
	built, ok := actions.Named(want.Name)
	if !ok {
		return nil, "this repository does not build it", nil // never: LoadManifest checks the names
	}
	cs, err := opts.Cases(want.Name)
	if err != nil {
		return nil, "cases: " + err.Error(), nil
	}
	job := caseJob{r: r, w: w, want: want, contract: built.Contract, id: id, tenant: knownSecrets(a, opts.Secrets[want.Name])}
	results := make([]CaseResult, len(cs))
	stop := make([]error, len(cs))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range max(opts.Parallel, 1) {
		wg.Go(func() {
			for i := range jobs {
				results[i], stop[i] = job.run(ctx, cs[i])
			}
		})
	}
	for i := range cs {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	for _, err := range stop {
		if err != nil {
			return nil, "", err
		}
	}
	if (SmokeReport{Results: results}).Count(Skipped) == len(cs) {
		return results, "no case could run: every case needs secrets the tenant's do not match (pass the tenant's secret values with -secrets)", nil
	}
	return results, "", nil
}

// caseJob is what testing one action's cases needs.
type caseJob struct {
	r        Reader
	w        *waiter
	want     bundle.ManifestAction
	contract contract.Contract
	id       string
	tenant   map[string]secretValue
}

// run tests one case; err is what stops the whole run.
func (j caseJob) run(ctx context.Context, c cases.Case) (CaseResult, error) {
	res := CaseResult{Action: j.want.Name, Case: c}
	var event map[string]any
	if err := json.Unmarshal(c.Event, &event); err != nil || event == nil {
		res.Outcome, res.Detail = Skipped, "the event is not a JSON object, and the test endpoint takes only objects"
		return res, nil
	}
	if why := secretsDiffer(event, j.want.Secrets, j.tenant); why != "" {
		res.Outcome, res.Detail = Skipped, why
		return res, nil
	}
	full, why := fullEvent(j.want.Trigger.ID, j.contract, c.Event)
	if why != "" {
		res.Outcome, res.Detail = Skipped, why
		return res, nil
	}
	for {
		got, err := j.r.TestAction(ctx, j.id, full)
		if err == nil {
			res.Outcome, res.Detail = judge(j.contract, c, got)
			return res, nil
		}
		if stopsTheRun(ctx, err) {
			return res, err
		}
		if j.w.wait(ctx, err) {
			continue
		}
		res.Outcome, res.Detail = Errored, err.Error()
		return res, nil
	}
}

// secretValue is a secret's value ("" when unset), and whether it is set
// on the tenant with a value nobody gave.
type secretValue struct {
	value   string
	unknown bool
}

// knownSecrets returns the tenant's secrets by name: set when the action
// has it, its value from given, unknown when given lacks it. A secret the
// action does not have is unset (the deploy sends no empty secret), which
// the actions treat as empty.
func knownSecrets(a Action, given map[string]string) map[string]secretValue {
	out := map[string]secretValue{}
	for _, s := range a.GetSecrets() {
		v, ok := given[s.GetName()]
		out[s.GetName()] = secretValue{value: v, unknown: !ok}
	}
	return out
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
