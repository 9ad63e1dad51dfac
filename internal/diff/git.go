package diff

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// git runs git in dir and returns its standard output, trimmed; the error
// holds what git wrote on standard error.
func git(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(string(out)), nil
}

// repoRoot returns the top folder of the git working tree holding dir.
func repoRoot(ctx context.Context, dir string) (string, error) {
	root, err := git(ctx, dir, "rev-parse", "--show-toplevel")
	if err != nil {
		return "", fmt.Errorf("%s is not in a git working tree (run diff from a clone of the repository, or pass -dir): %w", dir, err)
	}
	return root, nil
}

// resolve returns the commit that rev names in the repository at root.
func resolve(ctx context.Context, root, rev string) (string, error) {
	if rev == "" {
		return "", errors.New("-base is required: the git revision to compare the working tree with (a branch, tag or commit, e.g. -base origin/main)")
	}
	commit, err := git(ctx, root, "rev-parse", "--verify", "--quiet", "--end-of-options", rev+"^{commit}")
	if err != nil || commit == "" {
		return "", fmt.Errorf("unknown revision %q: git finds no commit of that name in %s (fetch it, or name a branch, tag or commit that git log shows)", rev, root)
	}
	return commit, nil
}

// worktree is a temporary detached git worktree of one commit.
type worktree struct {
	repo, dir string
}

// addWorktree checks commit out into a new temporary folder with git
// worktree add; the caller must remove it. The working tree at repo is not
// touched.
func addWorktree(ctx context.Context, repo, commit string) (*worktree, error) {
	parent, err := os.MkdirTemp("", "actions-diff-base-")
	if err != nil {
		return nil, err
	}
	w := &worktree{repo: repo, dir: filepath.Join(parent, "base")}
	if _, err := git(ctx, repo, "worktree", "add", "--detach", "--quiet", w.dir, commit); err != nil {
		return nil, errors.Join(fmt.Errorf("checking out the base revision: %w", err), os.RemoveAll(parent))
	}
	return w, nil
}

// remove deletes the worktree and git's record of it. It runs without the
// caller's context, so that a cancelled diff still cleans up.
func (w *worktree) remove() error {
	_, err := git(context.Background(), w.repo, "worktree", "remove", "--force", w.dir)
	if rmErr := os.RemoveAll(filepath.Dir(w.dir)); rmErr != nil {
		err = errors.Join(err, rmErr)
	}
	if err != nil {
		return fmt.Errorf("removing the base worktree %s (git worktree prune cleans up after it): %w", w.dir, err)
	}
	return nil
}
