package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/actions"
	"github.com/floatme/auth0-wasm-actions/actions/mfa"
	"github.com/floatme/auth0-wasm-actions/internal/abi"
	"github.com/floatme/auth0-wasm-actions/internal/cases"
	"github.com/floatme/auth0-wasm-actions/internal/diff"
)

// diffCap is the default cap: it places every value at every read path
// in a context of each answer the base gives the cases, which the
// transitions the tests look for need.
var diffCap = strconv.Itoa(diff.DefaultCap)

// clone clones the repository's committed HEAD into a temporary folder: the
// tests commit there, never in the real checkout.
func clone(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "repo")
	gitIn(t, "", "clone", "--quiet", cases.RepoRoot(), dir)
	return dir
}

// gitIn runs git in dir and returns its output.
func gitIn(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=diff test", "-c", "user.email=diff@example.com"}, args...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "git %v: %s", args, out)
	return strings.TrimSpace(string(out))
}

// commitEdit replaces old with new in the clone's file and commits it.
func commitEdit(t *testing.T, repo, file, old, new string) {
	t.Helper()
	path := filepath.Join(repo, file)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Contains(t, string(data), old)
	require.NoError(t, os.WriteFile(path, []byte(strings.Replace(string(data), old, new, 1)), 0o644))
	gitIn(t, repo, "commit", "--quiet", "-am", "edit "+file)
}

// requireUntouched fails unless the clone's working tree is clean and the
// base's temporary worktree is gone.
func requireUntouched(t *testing.T, repo string) {
	t.Helper()
	assert.Empty(t, gitIn(t, repo, "status", "--porcelain"), "the working tree was modified")
	assert.Equal(t, 1, len(strings.Split(gitIn(t, repo, "worktree", "list"), "\n")), "a worktree was left behind")
}

// diffCache is the build cache every diff of the tests shares: the base of
// most tests is the same commit. TestMain makes and removes it.
var diffCache string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "actions-diff-cache-")
	if err != nil {
		panic(err)
	}
	diffCache = dir
	code := m.Run()
	if err := os.RemoveAll(dir); err != nil {
		panic(err)
	}
	os.Exit(code)
}

// diffArgs returns the arguments of a diff of repo with the tests' cap and
// cache, then args.
func diffArgs(repo string, args ...string) []string {
	return append([]string{"diff", "-dir", repo, "-cap", diffCap, "-cache", diffCache}, args...)
}

// diffJSON runs diff with -format json and returns its report and error.
func diffJSON(t *testing.T, repo string, args ...string) (diff.Report, error) {
	t.Helper()
	out, err := runCmd(t, diffArgs(repo, append([]string{"-format", "json"}, args...)...)...)
	var r diff.Report
	require.NoError(t, json.Unmarshal([]byte(out), &r), "output:\n%s", out)
	requireUntouched(t, repo)
	return r, err
}

func TestDiffAgainstItselfIsUnchanged(t *testing.T) {
	repo := clone(t)
	out, err := runCmd(t, diffArgs(repo, "-base", "HEAD")...)
	require.NoError(t, err)
	assert.True(t, strings.HasSuffix(out, "\nno change weakens a guarded call (each contract's Guarded, and access.deny)\n"), "the text verdict:\n%s", out)
	r, err := diffJSON(t, repo, "-base", "HEAD")
	require.NoError(t, err)
	assert.Equal(t, 0, r.Weakenings)
	require.Len(t, r.Actions, len(actions.All))
	for _, ar := range r.Actions {
		assert.Equal(t, diff.StatusUnchanged, ar.Status, ar.Action)
		assert.Empty(t, ar.Transitions, ar.Action)
	}
}

// firstLoginUpTo2 is the change the weakening test makes: row 4 (first
// login) for a login count up to 2.
func firstLoginUpTo2(t *testing.T, repo string) {
	commitEdit(t, repo, "actions/mfa/mfa.go", "in[loginsCount].Num <= 1", "in[loginsCount].Num <= 2")
}

func TestDiffReportsAWeakening(t *testing.T) {
	repo := clone(t)
	firstLoginUpTo2(t, repo)
	events := writeEvent(t, "\n"+`{"stats": {"logins_count": 2}, "user": {"app_metadata": {"auth_require_mfa": true}}}`+"\n")
	r, err := diffJSON(t, repo, "-base", "HEAD~1", "-events", events)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "-allow-weakening")
	ar := actionReport(t, r, "mfa_action")
	got := map[string]diff.Transition{}
	for _, tr := range ar.Transitions {
		got[tr.From.Reason+" → "+tr.To.Reason] = tr
	}
	want := casesMovedToFirstLogin(t)
	for name, weakens := range map[string]bool{
		"mfa-required → first-login": true, "challenge-requested → first-login": true, "not-required → first-login": false,
	} {
		t.Run(name, func(t *testing.T) {
			tr, ok := got[name]
			require.True(t, ok, "no transition %s in %v", name, ar.Transitions)
			assert.Equal(t, weakens, tr.Weakens, "weakens")
			from, _, _ := strings.Cut(name, " ")
			assert.Equal(t, want[from], tr.Counts[diff.CorpusCases], "cases")
			assert.Greater(t, tr.Total(), tr.Counts[diff.CorpusCases], "generated events make it too")
		})
	}
	assert.Len(t, ar.Transitions, 3, "transitions: %v", got)
	assert.Equal(t, 1, got["mfa-required → first-login"].Counts[diff.CorpusEvents], "the -events line")
	assert.Equal(t, 2, r.Weakenings)
	assert.Equal(t, diff.DefaultCap, ar.Events[diff.CorpusGenerated]+ar.Events[diff.CorpusKinds]+ar.Events[diff.CorpusConstants], "generated events: the cap")
	require.NotNil(t, ar.Generated)
	assert.GreaterOrEqual(t, ar.Generated.Contexts, ar.Generated.Groups, "every value meets every answer of the base")
	for _, name := range otherActions("mfa_action") {
		assert.Equal(t, diff.StatusUnchanged, actionReport(t, r, name).Status, name)
	}

	out, err := runCmd(t, diffArgs(repo, "-base", "HEAD~1", "-format", "markdown", "-allow-weakening")...)
	require.NoError(t, err, "with -allow-weakening")
	assert.Contains(t, out, "| **weakens** | mfa-required (multifactor.enable(\"any\")) | first-login (no calls) |")
	requireUntouched(t, repo)
}

// casesMovedToFirstLogin counts, by the base's reason, the shared cases
// that a first-login row up to 2 logins moves: those the native decision
// does not answer from rows 1-4 whose login count is a number in (1, 2].
func casesMovedToFirstLogin(t *testing.T) map[string]int {
	t.Helper()
	all, err := cases.Load("mfa_action")
	require.NoError(t, err)
	counts := map[string]int{}
	for _, c := range all {
		fields, err := c.Fields(mfa.Contract.Reads)
		require.NoError(t, err)
		n := fields[3] // stats.logins_count
		reason := mfa.Decide(fields).Reason
		earlier := reason == mfa.ReasonForceMFADomain || reason == mfa.ReasonTestTenantRefresh ||
			reason == mfa.ReasonIntegrationTest || reason == mfa.ReasonFirstLogin
		if n.Kind == abi.Number && n.Num > 1 && n.Num <= 2 && !earlier {
			counts[reason]++
		}
	}
	return counts
}

func actionReport(t *testing.T, r diff.Report, name string) diff.ActionReport {
	t.Helper()
	for _, ar := range r.Actions {
		if ar.Action == name {
			return ar
		}
	}
	t.Fatalf("no action %s in the report", name)
	return diff.ActionReport{}
}

func TestDiffOnlyAddingChallengesPasses(t *testing.T) {
	repo := clone(t)
	commitEdit(t, repo, "actions/mfa/mfa.go", "in[loginsCount].Num <= 1", "in[loginsCount].Num <= 0")
	r, err := diffJSON(t, repo, "-base", "HEAD~1")
	require.NoError(t, err)
	assert.Equal(t, 0, r.Weakenings)
	ar := actionReport(t, r, "mfa_action")
	require.NotEmpty(t, ar.Transitions)
	for _, tr := range ar.Transitions {
		assert.Equal(t, "first-login", tr.From.Reason, "from")
		assert.False(t, tr.Weakens, "%s → %s weakens", tr.From, tr.To)
	}
}

// otherActions returns the names of the registered actions but name.
func otherActions(name string) []string {
	var out []string
	for _, a := range actions.All {
		if a.Contract.Action != name {
			out = append(out, a.Contract.Action)
		}
	}
	return out
}

// requireWeakening asserts that diff exited 1 on a weakening and that the
// action has a weakening transition from a reason to another that drops
// call; it returns that transition.
func requireWeakening(t *testing.T, r diff.Report, err error, action, from, call string) diff.Transition {
	t.Helper()
	require.Error(t, err, "diff should exit 1")
	assert.Contains(t, err.Error(), "weaken the policy")
	for _, tr := range actionReport(t, r, action).Transitions {
		if tr.Weakens && tr.From.Reason == from && slices.Contains(tr.Dropped, call) {
			return tr
		}
	}
	t.Fatalf("%s: no weakening transition from %s dropping %s in %+v", action, from, call, actionReport(t, r, action).Transitions)
	return diff.Transition{}
}

// TestDiffSeesAShimChange: a change to shim/shim.js alone, which drops the
// calls for one email domain while its log line still says challenge, is
// run (the bundles differ) and weakens the policy.
func TestDiffSeesAShimChange(t *testing.T) {
	repo := clone(t)
	commitEdit(t, repo, "shim/shim.js", "for (const call of calls) {",
		"for (const call of (String(event.user && event.user.email).endsWith('@shim-bypass.test') ? [] : calls)) {")
	r, err := diffJSON(t, repo, "-base", "HEAD~1")
	tr := requireWeakening(t, r, err, "mfa_action", "mfa-required", `multifactor.enable("any")`)
	assert.Equal(t, "mfa-required", tr.To.Reason, "the log line still says so")
	assert.Empty(t, tr.To.Calls, "the working tree's calls")
	assert.Positive(t, tr.Counts[diff.CorpusConstants], "found by the bundle's literal placed at user.email")
	flag := requireWeakening(t, r, err, "enable_mfa", "mfa-flags-set", `user.setAppMetadata("auth_require_mfa", true)`)
	assert.Contains(t, flag.Example.Fields, diff.Field{Path: "user.email", Value: `"@shim-bypass.test"`},
		"enable_mfa reads no field: user.email is set as a common field of its trigger's event")
}

// TestDiffSeesANewConstant: a new email domain that skips MFA, with an
// existing reason and no contract change, is found through the constants
// of the code; no shared case holds it.
func TestDiffSeesANewConstant(t *testing.T) {
	repo := clone(t)
	commitEdit(t, repo, "actions/mfa/mfa.go", "\tcase isMFAFlag(in[requireMFA]):",
		"\tcase domain == \"partner\"+\".example\":\n\t\treturn skipFor(ReasonNotRequired)\n\tcase isMFAFlag(in[requireMFA]):")
	r, err := diffJSON(t, repo, "-base", "HEAD~1")
	tr := requireWeakening(t, r, err, "mfa_action", "mfa-required", `multifactor.enable("any")`)
	assert.Equal(t, "not-required", tr.To.Reason)
	assert.Zero(t, tr.Counts[diff.CorpusCases], "no case holds the domain")
	assert.Positive(t, tr.Counts[diff.CorpusConstants])
	assert.Contains(t, tr.Example.Fields, diff.Field{Path: "user.email", Value: `"user@partner.example"`}, "the example")
	assert.Empty(t, actionReport(t, r, "mfa_action").Contract, "no contract change")
}

// skipMFARead is the edit that makes mfa_action read
// user.user_metadata.skip_mfa.
func skipMFARead(t *testing.T, repo string) {
	file := "actions/mfa/mfa.go"
	commitEdit(t, repo, file, "\tforceDomain\n)", "\tforceDomain\n\tskipMFA\n)")
	commitEdit(t, repo, file, "\t\tforceDomain:       contract.SecretsPrefix + \"FORCE_MFA_EMAIL_DOMAIN\",\n",
		"\t\tforceDomain:       contract.SecretsPrefix + \"FORCE_MFA_EMAIL_DOMAIN\",\n\t\tskipMFA:           \"user.user_metadata.skip_mfa\",\n")
}

// TestDiffSeesANewUserControlledRead: a new read of a field any user can
// write is shown first as a risk; alone it changes no answer, and a skip
// keyed on it weakens the policy, found through the kinds placed there.
func TestDiffSeesANewUserControlledRead(t *testing.T) {
	repo := clone(t)
	skipMFARead(t, repo)
	risk := "reads user.user_metadata.skip_mfa (new; the end user sets this field"
	t.Run("the read alone", func(t *testing.T) {
		r, err := diffJSON(t, repo, "-base", "HEAD~2")
		require.NoError(t, err)
		ar := actionReport(t, r, "mfa_action")
		require.NotEmpty(t, ar.Contract)
		assert.True(t, ar.Contract[0].Risk, "the first contract change is the risk: %+v", ar.Contract)
		assert.Contains(t, ar.Contract[0].What, risk)
		assert.Equal(t, diff.StatusSame, ar.Status, "transitions: %+v", ar.Transitions)
	})
	t.Run("a skip keyed on it", func(t *testing.T) {
		commitEdit(t, repo, "actions/mfa/mfa.go", "\tcase isMFAFlag(in[requireMFA]):",
			"\tcase in[skipMFA].Equal(abi.BoolValue(true)):\n\t\treturn skipFor(ReasonNotRequired)\n\tcase isMFAFlag(in[requireMFA]):")
		r, err := diffJSON(t, repo, "-base", "HEAD~3")
		tr := requireWeakening(t, r, err, "mfa_action", "mfa-required", `multifactor.enable("any")`)
		assert.Positive(t, tr.Counts[diff.CorpusKinds]+tr.Counts[diff.CorpusConstants], "true placed at the new path")
		assert.Contains(t, tr.Example.Fields, diff.Field{Path: "user.user_metadata.skip_mfa", Value: "true"})
		out, err := runCmd(t, diffArgs(repo, "-base", "HEAD~3", "-action", "mfa_action")...)
		require.Error(t, err)
		_, after, _ := strings.Cut(out, "mfa_action:")
		assert.True(t, strings.HasPrefix(strings.SplitN(after, "\n", 3)[1], "  contract: "+risk), "the risk first:\n%s", out)
	})
}

// TestDiffGuardsAFailOpenAction: an action whose fallback makes no call
// still has its guarded calls: a change that stops denying weakens the
// policy.
func TestDiffGuardsAFailOpenAction(t *testing.T) {
	repo := clone(t)
	file := "actions/ipmeta/ipmeta.go"
	commitEdit(t, repo, file, "\t\t{Reason: ReasonUnchanged, Decision: \"skip\"},",
		"\t\t{Reason: ReasonUnchanged, Decision: \"skip\"},\n\t\t{Reason: \"blocked-ip\", Decision: \"deny\", Calls: []contract.CallSpec{{Op: contract.OpAccessDeny, Args: []contract.ArgSpec{{Kind: abi.String}}}}},")
	commitEdit(t, repo, file, "\tip, ok := CanonicalIP(in[requestIP])\n",
		"\tif in[requestIP].Equal(abi.StringValue(\"203.0.113.66\")) {\n\t\treturn abi.Result{Reason: \"blocked-ip\", Calls: []abi.Call{{Op: contract.OpAccessDeny, Args: []abi.Value{abi.StringValue(\"blocked\")}}}}\n\t}\n\tip, ok := CanonicalIP(in[requestIP])\n")
	commitEdit(t, repo, file, "\tif in[requestIP].Equal(abi.StringValue(\"203.0.113.66\")) {", "\tif false && in[requestIP].Equal(abi.StringValue(\"203.0.113.66\")) {")
	r, err := diffJSON(t, repo, "-base", "HEAD~1")
	tr := requireWeakening(t, r, err, "add_ip_to_metadata", "blocked-ip", `access.deny("blocked")`)
	assert.Equal(t, "recorded", tr.To.Reason)
	_, err = runCmd(t, diffArgs(repo, "-base", "HEAD~1", "-allow-weakening")...)
	assert.NoError(t, err, "-allow-weakening")
}

// TestDiffCache: a side built from a commit is kept and used again; one
// whose bundle was altered is built again; a working tree with changes is
// never kept.
func TestDiffCache(t *testing.T) {
	repo := clone(t)
	cacheDir := t.TempDir()
	run := func() diff.Report {
		t.Helper()
		out, err := runCmd(t, "diff", "-dir", repo, "-cache", cacheDir, "-format", "json", "-base", "HEAD")
		require.NoError(t, err, "output:\n%s", out)
		var r diff.Report
		require.NoError(t, json.Unmarshal([]byte(out), &r))
		return r
	}
	entries := func() []string {
		t.Helper()
		files, err := filepath.Glob(filepath.Join(cacheDir, "*", "side.json"))
		require.NoError(t, err)
		return files
	}
	run()
	kept := entries()
	require.Len(t, kept, 1, "the base and the clean working tree are one tree")
	bundleFile := filepath.Join(filepath.Dir(kept[0]), "build", "mfa_action.js")
	built, err := os.ReadFile(bundleFile)
	require.NoError(t, err)

	require.NoError(t, os.WriteFile(bundleFile, append(slices.Clone(built), '\n'), 0o644))
	for _, ar := range run().Actions {
		assert.Equal(t, diff.StatusUnchanged, ar.Status, ar.Action)
	}
	again, err := os.ReadFile(bundleFile)
	require.NoError(t, err)
	assert.Equal(t, built, again, "the altered entry was built again")

	mfaFile := filepath.Join(repo, "actions", "mfa", "mfa.go")
	src, err := os.ReadFile(mfaFile)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(mfaFile, []byte(strings.Replace(string(src), "in[loginsCount].Num <= 1", "in[loginsCount].Num <= 2", 1)), 0o644))
	out, err := runCmd(t, "diff", "-dir", repo, "-cache", cacheDir, "-cap", diffCap, "-format", "json", "-base", "HEAD")
	require.Error(t, err, "the uncommitted change weakens the policy")
	var r diff.Report
	require.NoError(t, json.Unmarshal([]byte(out), &r))
	assert.Equal(t, diff.StatusChanged, actionReport(t, r, "mfa_action").Status, "the working tree with an uncommitted change was built, not taken from the cache")
	assert.Len(t, entries(), 1, "a working tree with changes is not kept")
	require.NoError(t, os.WriteFile(mfaFile, src, 0o644))
}
