package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"github.com/floatme/auth0-wasm-actions/internal/compiler"
	"github.com/floatme/auth0-wasm-actions/internal/diff"
)

// stderr receives diff's progress when it is a terminal.
var stderr = os.Stderr

// cmdDiff compares the working tree's actions with a base revision's and
// fails when a change weakens the policy, unless -allow-weakening.
func cmdDiff(ctx context.Context, fs *flag.FlagSet, args []string, stdout io.Writer) error {
	var opts diff.Options
	fs.StringVar(&opts.Base, "base", "", "git revision to compare the working tree with (required)")
	fs.StringVar(&opts.Dir, "dir", ".", "a folder of the git working tree to compare")
	fs.StringVar(&opts.EventsFile, "events", "", "file of one JSON event per line, run through every action too")
	fs.IntVar(&opts.Cap, "cap", diff.DefaultCap, "at most this many generated events per action (a larger cross product is sampled with a fixed seed)")
	only := fs.String("action", "", "compare only these actions (comma-separated)")
	format := fs.String("format", diff.FormatText, "output: text, markdown or json")
	allow := fs.Bool("allow-weakening", false, "exit 0 even when a change drops a guarded call")
	name := fs.String("compiler", compiler.Default, "guest compiler: tinygo (what ships) or go")
	command := fs.String("compiler-command", "", "the compiler's executable (default as for build)")
	fs.StringVar(&opts.CacheDir, "cache", defaultCache(), "keep each side built from a commit here, by its git tree and compiler, for the next diff (empty: no cache)")
	nodeVersion := fs.String("node", "18", "the Node the bundles run under: 18 (Auth0's node18 runtime) or 22, from node_modules/node<N> (npm ci)")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	if err := checkDiffFlags(opts, *format); err != nil {
		return err
	}
	var err error
	if opts.Compiler, err = compiler.Named(*name, *command); err != nil {
		return err
	}
	if opts.Node, err = testNode(opts.Dir, *nodeVersion); err != nil {
		return err
	}
	if *only != "" {
		opts.Actions = strings.Split(*only, ",")
	}
	if isTerminal(stderr) {
		opts.Progress = stderr
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	defer stop()
	r, err := diff.Run(ctx, opts)
	if err != nil {
		return err
	}
	if err := diff.Write(stdout, r, *format); err != nil {
		return err
	}
	if r.Weakenings > 0 && !*allow {
		return errors.New(strconv.Itoa(r.Weakenings) + " change(s) weaken the policy (see WEAKENS above): restore the guarded calls, or, when the weakening is intended, say so with -allow-weakening")
	}
	return nil
}

// checkDiffFlags refuses what diff.Run cannot use, before it builds anything.
func checkDiffFlags(opts diff.Options, format string) error {
	switch {
	case opts.Base == "":
		return errors.New("diff needs -base REV: the git revision to compare the working tree with (e.g. -base origin/main)")
	case opts.Cap < 1:
		return fmt.Errorf("-cap %d: want at least 1 generated event per action", opts.Cap)
	case format != diff.FormatText && format != diff.FormatMarkdown && format != diff.FormatJSON:
		return fmt.Errorf("-format %q: want %s, %s or %s", format, diff.FormatText, diff.FormatMarkdown, diff.FormatJSON)
	}
	return nil
}

// testNode returns the Node executable of version ("18" or "22") that npm
// ci installs from package.json (node_modules/node<version>/bin/node): the
// one in the working tree at dir, else the one of the repository this
// command was built from.
func testNode(dir, version string) (string, error) {
	if version != "18" && version != "22" {
		return "", fmt.Errorf("-node %q: want 18 (the shipping runtime) or 22", version)
	}
	rel := filepath.Join("node_modules", "node"+version, "bin", "node")
	var tried []string
	for _, root := range []string{dir, sourceRoot()} {
		p, err := filepath.Abs(filepath.Join(root, rel))
		if err != nil {
			return "", err
		}
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		tried = append(tried, p)
	}
	return "", fmt.Errorf("no Node %s to run the bundles under (looked for %s): run npm ci in the repository", version, strings.Join(tried, ", "))
}

// defaultCache returns the user's cache folder for diff's builds, or ""
// (no cache) when the system names none.
func defaultCache() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "auth0-wasm-actions", "diff")
}

// sourceRoot returns the repository this command was built from, or "."
// when the build does not say.
func sourceRoot() string {
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		return filepath.Join(filepath.Dir(file), "..", "..")
	}
	return "."
}

// isTerminal reports whether f is a terminal (a character device).
func isTerminal(f *os.File) bool {
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
