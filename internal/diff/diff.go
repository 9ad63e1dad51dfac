// Package diff compares the actions of a git revision (the base) with the
// working tree's: it builds each side's bundles with that side's own build
// (the same compiler and flags as make wasm), runs the same corpus of events
// through both sides' bundles under real Node (18, the shipping runtime, by
// default), as Auth0 calls them, and reports every transition from one
// answer to another, with its counts and one masked example, and the
// contract changes. A transition or a contract change that drops a guarded
// call (each contract's Guarded, and access.deny) weakens the policy.
package diff

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/floatme/auth0-wasm-actions/internal/compiler"
)

// Options say what Run compares.
type Options struct {
	// Dir is a folder of the git working tree compared (empty: the current
	// folder); Base the revision it is compared with.
	Dir, Base string
	// Compiler builds both sides' modules.
	Compiler compiler.Compiler
	// EventsFile, when set, is a file of one JSON event per line, run
	// through every action besides the shared cases and generated events.
	EventsFile string
	// Cap caps each action's generated events (0: DefaultCap).
	Cap int
	// Actions, when not empty, limits the diff to these actions.
	Actions []string
	// Node is the Node executable the bundles run under.
	Node string
	// CacheDir, when set, keeps each side built from a commit (or a clean
	// working tree), by its git tree and the compiler's version, for the
	// next diff.
	CacheDir string
	// Progress, when not nil, receives one line per step.
	Progress io.Writer
}

// runEnv is what every action's run shares.
type runEnv struct {
	node     func(pair) node
	nodeName string
	limit    int
	events   []item
	progress func(string, ...any)
}

// Run compares the working tree at opts.Dir with opts.Base. It never changes
// the working tree, and removes the base's temporary worktree before it
// returns.
func Run(ctx context.Context, opts Options) (r Report, err error) {
	var events []item
	if opts.EventsFile != "" {
		if events, err = readEvents(opts.EventsFile); err != nil {
			return Report{}, err
		}
	}
	root, err := repoRoot(ctx, cmp.Or(opts.Dir, "."))
	if err != nil {
		return Report{}, err
	}
	commit, err := resolve(ctx, root, opts.Base)
	if err != nil {
		return Report{}, err
	}
	version, err := opts.Compiler.Version(ctx)
	if err != nil {
		return Report{}, err
	}
	nodeVersion, err := nodeVersion(ctx, opts.Node)
	if err != nil {
		return Report{}, err
	}
	r = Report{Base: Revision{Rev: opts.Base, Commit: commit}, Head: root, Compiler: version, Node: nodeVersion,
		Corpus: CorpusInfo{Cap: cmp.Or(opts.Cap, DefaultCap), Seed: Seed, EventsFile: opts.EventsFile}, Actions: []ActionReport{}}
	scratch, err := os.MkdirTemp("", "actions-diff-")
	if err != nil {
		return Report{}, err
	}
	defer func() { err = errors.Join(err, os.RemoveAll(scratch)) }()
	c := cache{dir: opts.CacheDir, compiler: opts.Compiler.Name + " " + version}
	base, head, err := loadSides(ctx, opts, c, root, commit, scratch)
	if err != nil {
		return Report{}, err
	}
	if err := unknownActions(base, head, opts.Actions); err != nil {
		return Report{}, err
	}
	runner, err := writeRunner(scratch)
	if err != nil {
		return Report{}, err
	}
	env := runEnv{limit: r.Corpus.Cap, events: events, progress: opts.progress, nodeName: r.Node,
		node: func(p pair) node {
			return node{command: opts.Node, runner: runner, baseTrigger: p.base.Trigger.ID, base: p.baseBundle,
				headTrigger: p.head.Trigger.ID, head: p.headBundle}
		}}
	for _, name := range actionNames(base, head, opts.Actions) {
		ar, err := compareAction(ctx, name, base, head, env)
		if err != nil {
			return Report{}, err
		}
		r.Weakenings += ar.weakenings()
		r.Actions = append(r.Actions, ar)
	}
	return r, nil
}

// loadSides loads the base, checked out in a temporary worktree it
// removes again, and the working tree at root: from the cache c when it has
// them, else built (and then kept in c).
func loadSides(ctx context.Context, opts Options, c cache, root, commit, scratch string) (base, head *side, err error) {
	label := "base " + opts.Base + " (" + commit[:min(12, len(commit))] + ")"
	opts.progress("checking out %s", label)
	wt, err := addWorktree(ctx, root, commit)
	if err != nil {
		return nil, nil, err
	}
	defer func() { err = errors.Join(err, wt.remove()) }()
	if base, err = loadCached(ctx, opts, c, wt.dir, commit, label, filepath.Join(scratch, "base")); err != nil {
		return nil, nil, err
	}
	if head, err = loadCached(ctx, opts, c, root, "", "the working tree", filepath.Join(scratch, "head")); err != nil {
		return nil, nil, err
	}
	return base, head, nil
}

// loadCached returns the side at src (commit, or the working tree when
// commit is empty) from the cache, or loads it into work and keeps it
// there.
func loadCached(ctx context.Context, opts Options, c cache, src, commit, label, scratch string) (*side, error) {
	tree := treeOf(ctx, src, commit)
	if s, ok := c.load(tree, src, label); ok {
		opts.progress("%s: built before, from the cache %s", label, c.dir)
		return s, nil
	}
	work, err := c.workDir(tree, scratch)
	if err != nil {
		return nil, err
	}
	s, err := loadSide(ctx, src, label, work, opts.Compiler, opts.progress)
	if err != nil {
		return nil, errors.Join(err, os.RemoveAll(work))
	}
	return s, c.store(tree, work, s)
}

// actionNames returns the working tree's actions then the base's others,
// only those in only when it is not empty.
func actionNames(base, head *side, only []string) []string {
	var names []string
	for _, s := range []*side{head, base} {
		for _, a := range s.actions {
			name := a.Contract.Action
			if !slices.Contains(names, name) && (len(only) == 0 || slices.Contains(only, name)) {
				names = append(names, name)
			}
		}
	}
	return names
}

// unknownActions returns an error naming each of only that neither side
// has.
func unknownActions(base, head *side, only []string) error {
	all := actionNames(base, head, nil)
	var errs []error
	for _, name := range only {
		if !slices.Contains(all, name) {
			errs = append(errs, fmt.Errorf("-action %s: no such action at either side; the actions are %v", name, all))
		}
	}
	return errors.Join(errs...)
}

// progress writes one line to o.Progress, unless it is nil.
func (o Options) progress(format string, args ...any) {
	if o.Progress != nil {
		fmt.Fprintf(o.Progress, "actions diff: "+format+"\n", args...)
	}
}
