package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// emptyTree is git's empty tree: a commit of it has no actions.
const emptyTree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"

// TestDiffBadInput: each bad input is an error naming what to do, and leaves
// the clone as it was.
func TestDiffBadInput(t *testing.T) {
	repo := clone(t)
	noActions := gitIn(t, repo, "commit-tree", emptyTree, "-m", "nothing")
	broken := filepath.Join("actions", "mfa", "wasm", "main.go")
	commitEdit(t, repo, broken, "package main", "package main\n\nthis does not compile")
	commitEdit(t, repo, broken, "package main\n\nthis does not compile", "package main")
	dir := t.TempDir()
	malformed := filepath.Join(dir, "malformed.jsonl")
	require.NoError(t, os.WriteFile(malformed, []byte("{}\n\n{\"user\": \n{}\n"), 0o644))
	notObject := filepath.Join(dir, "array.jsonl")
	require.NoError(t, os.WriteFile(notObject, []byte("[1]\n"), 0o644))
	for name, tt := range map[string]struct {
		args []string
		want string
	}{
		"no base":            {nil, "diff needs -base REV"},
		"unknown revision":   {[]string{"-base", "no-such-branch"}, `unknown revision "no-such-branch": git finds no commit of that name`},
		"no actions at base": {[]string{"-base", noActions}, "has no actions/actions.go, so no actions to compare: pick a revision that has them"},
		"base build fails":   {[]string{"-base", "HEAD~1"}, "building its bundles failed; fix the build there (make wasm) or pick another revision"},
		"events unreadable":  {[]string{"-base", "HEAD", "-events", filepath.Join(dir, "missing.jsonl")}, "-events: open"},
		"events malformed":   {[]string{"-base", "HEAD", "-events", malformed}, "malformed.jsonl line 3: event: unexpected EOF: each line must be one event as a JSON object; fix or remove that line"},
		"events not objects": {[]string{"-base", "HEAD", "-events", notObject}, "array.jsonl line 1: not a JSON object"},
		"unknown format":     {[]string{"-base", "HEAD", "-format", "html"}, `-format "html": want text, markdown or json`},
		"cap zero":           {[]string{"-base", "HEAD", "-cap", "0"}, "-cap 0: want at least 1"},
		"unknown node":       {[]string{"-base", "HEAD", "-node", "20"}, `-node "20": want 18 (the shipping runtime) or 22`},
		"not a repository":   {[]string{"-base", "HEAD", "-dir", dir}, "is not in a git working tree"},
		"stray argument":     {[]string{"-base", "HEAD", "stray"}, `diff takes no arguments, got ["stray"]`},
	} {
		t.Run(name, func(t *testing.T) {
			args := append([]string{"diff", "-dir", repo}, tt.args...)
			_, err := runCmd(t, args...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			requireUntouched(t, repo)
		})
	}
}
