package diff

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/floatme/auth0-wasm-actions/internal/cases"
	"github.com/floatme/auth0-wasm-actions/internal/compiler"
)

// side is one of the two source trees compared: its actions, their modules
// and shared cases, by action name.
type side struct {
	label   string
	actions []Action
	modules map[string][]byte
	cases   map[string][]cases.Case
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

// loadSide reads the actions of the source tree at src (label names it in
// errors and progress) and builds each one's module with c into scratch.
func loadSide(ctx context.Context, src, label, scratch string, c compiler.Compiler, progress func(string, ...any)) (*side, error) {
	if err := os.MkdirAll(scratch, 0o755); err != nil {
		return nil, err
	}
	acts, err := readActions(ctx, src, label, scratch)
	if err != nil {
		return nil, err
	}
	s := &side{label: label, actions: acts, modules: map[string][]byte{}, cases: map[string][]cases.Case{}}
	for _, a := range acts {
		name := a.Contract.Action
		progress("building %s: %s (%s)", label, name, c.Name)
		wasm, err := buildModule(ctx, c, src, a.Main, filepath.Join(scratch, name+".wasm"))
		if err != nil {
			return nil, fmt.Errorf("%s: building %s failed; fix the build there (make wasm) or pick another revision: %w", label, name, err)
		}
		s.modules[name] = wasm
		if s.cases[name], err = loadCases(src, name); err != nil {
			return nil, fmt.Errorf("%s: %w", label, err)
		}
	}
	return s, nil
}

// buildModule builds mainPkg of the source at src to out and returns its
// bytes.
func buildModule(ctx context.Context, c compiler.Compiler, src, mainPkg, out string) ([]byte, error) {
	if err := c.Build(ctx, src, mainPkg, out); err != nil {
		return nil, err
	}
	return os.ReadFile(out)
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
