package diff

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/floatme/auth0-wasm-actions/internal/abi"
	"github.com/floatme/auth0-wasm-actions/internal/bundle"
	"github.com/floatme/auth0-wasm-actions/internal/cases"
	"github.com/floatme/auth0-wasm-actions/internal/compiler"
)

// side is one of the two source trees compared: its actions, the bundles
// its own build made of them, their shared cases, and the constants of its
// code.
type side struct {
	label     string
	actions   []Action
	build     string // the folder its build wrote
	manifest  bundle.Manifest
	cases     map[string][]cases.Case
	constants []abi.Value
}

// action returns the side's action called name, and false when it has none.
func (s *side) action(name string) (Action, bool) {
	for _, a := range s.actions {
		if a.Contract.Action == name {
			return a, true
		}
	}
	return Action{}, false
}

// bundle returns the path and sha256 of the side's bundle of name.
func (s *side) bundle(name string) (path, sha string, err error) {
	ma, ok := s.manifest.Action(name)
	if !ok {
		return "", "", fmt.Errorf("%s: its build's manifest has no action %s", s.label, name)
	}
	return filepath.Join(s.build, ma.Bundle), ma.SHA256, nil
}

// loadSide reads the actions of the source tree at src (label names it in
// errors and progress), builds their bundles into scratch with that tree's
// own build command, as make wasm does, and reads its constants.
func loadSide(ctx context.Context, src, label, scratch string, c compiler.Compiler, progress func(string, ...any)) (*side, error) {
	if err := os.MkdirAll(scratch, 0o755); err != nil {
		return nil, err
	}
	acts, err := readActions(ctx, src, label, scratch)
	if err != nil {
		return nil, err
	}
	s := &side{label: label, actions: acts, build: filepath.Join(scratch, "build")}
	progress("building %s (%s)", label, c.Name)
	if s.manifest, err = buildBundles(ctx, src, s.build, c); err != nil {
		return nil, fmt.Errorf("%s: building its bundles failed; fix the build there (make wasm) or pick another revision: %w", label, err)
	}
	if err := s.loadCases(src); err != nil {
		return nil, err
	}
	mains := make([]string, len(acts))
	for i, a := range acts {
		mains[i] = a.Main
	}
	module, err := modulePath(src)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", label, err)
	}
	if s.constants, err = constants(ctx, src, module, mains); err != nil {
		return nil, fmt.Errorf("%s: %w", label, err)
	}
	return s, nil
}

// buildBundles runs the build command of the source tree at src (go run
// ./cmd/actions build) with compiler c into dir, and reads its manifest.
func buildBundles(ctx context.Context, src, dir string, c compiler.Compiler) (bundle.Manifest, error) {
	cmd := exec.CommandContext(ctx, "go", "run", "./cmd/actions", "build", "-dir", dir,
		"-compiler", c.Name, "-compiler-command", c.Command)
	cmd.Dir = src
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=readonly")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return bundle.Manifest{}, fmt.Errorf("%w\n%s", err, out.Bytes())
	}
	return bundle.ReadManifest(dir)
}

// loadCases reads the shared cases of each of the side's actions from
// src/testdata.
func (s *side) loadCases(src string) error {
	s.cases = map[string][]cases.Case{}
	for _, a := range s.actions {
		var err error
		if s.cases[a.Contract.Action], err = loadCases(src, a.Contract.Action); err != nil {
			return fmt.Errorf("%s: %w", s.label, err)
		}
	}
	return nil
}

// loadCases returns the shared cases of action in src/testdata; none when
// the tree has no folder for it.
func loadCases(src, action string) ([]cases.Case, error) {
	dir := filepath.Join(src, "testdata")
	if _, err := os.Stat(filepath.Join(dir, action)); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return cases.LoadDir(dir, action)
}
