package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/actions/mfa"
	"github.com/floatme/auth0-wasm-actions/internal/abi"
	"github.com/floatme/auth0-wasm-actions/internal/cases"
	"github.com/floatme/auth0-wasm-actions/internal/diff"
)

// diffCap keeps the tests' generated corpora small; the transitions they
// look for are in every sample of that size.
const diffCap = "20000"

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

// diffJSON runs diff with -format json and returns its report and error.
func diffJSON(t *testing.T, repo string, args ...string) (diff.Report, error) {
	t.Helper()
	out, err := runCmd(t, append([]string{"diff", "-dir", repo, "-cap", diffCap, "-format", "json"}, args...)...)
	var r diff.Report
	require.NoError(t, json.Unmarshal([]byte(out), &r), "output:\n%s", out)
	requireUntouched(t, repo)
	return r, err
}

func TestDiffAgainstItselfIsUnchanged(t *testing.T) {
	repo := clone(t)
	r, err := diffJSON(t, repo, "-base", "HEAD")
	require.NoError(t, err)
	assert.Equal(t, 0, r.Weakenings)
	require.Len(t, r.Actions, 3)
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
			assert.Positive(t, tr.Counts[diff.CorpusGenerated], "generated")
		})
	}
	assert.Len(t, ar.Transitions, 3, "transitions: %v", got)
	assert.Equal(t, 1, got["mfa-required → first-login"].Counts[diff.CorpusEvents], "the -events line")
	assert.Equal(t, 2, r.Weakenings)
	assert.Equal(t, 20000, ar.Events[diff.CorpusGenerated])
	for _, name := range []string{"add_ip_to_metadata", "enable_mfa"} {
		assert.Equal(t, diff.StatusUnchanged, actionReport(t, r, name).Status, name)
	}

	out, err := runCmd(t, "diff", "-dir", repo, "-cap", diffCap, "-base", "HEAD~1", "-format", "markdown", "-allow-weakening")
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
