// Package cases loads the shared test cases in testdata/<action>/*.json: the
// same files drive the native Go tests, the wazero tests and the Node tests.
package cases

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"

	"github.com/floatme/auth0-wasm-actions/internal/abi"
	"github.com/floatme/auth0-wasm-actions/internal/event"
)

// Case is one event and what the action must do with it.
type Case struct {
	Name   string          `json:"name"`
	Event  json.RawMessage `json:"event"`
	Calls  []Call          `json:"calls"`
	Reason string          `json:"reason"`
	File   string          `json:"-"` // the file it came from, relative to testdata
}

// Call is an expected api call with JSON arguments.
type Call struct {
	Op   string `json:"op"`
	Args []any  `json:"args"`
}

// RepoRoot returns the repository's root folder, found from this file's
// path as compiled (tests run from the source tree).
func RepoRoot() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		panic("cases: no caller information to find the repository root")
	}
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// Build folders the tests load, relative to the repository root: what make
// wasm builds to ship (TinyGo), and the reference build of the same actions
// with the standard Go toolchain (make wasm-go).
const (
	ShippedBuild   = "build"
	ReferenceBuild = "build/go"
)

// Builds returns the absolute paths of ShippedBuild and ReferenceBuild.
func Builds() []string {
	return []string{filepath.Join(RepoRoot(), ShippedBuild), filepath.Join(RepoRoot(), ReferenceBuild)}
}

// Load returns every case for action in the repository's testdata, sorted
// by file then by order in the file. It fails when there are none or two
// share a name.
func Load(action string) ([]Case, error) {
	return LoadDir(filepath.Join(RepoRoot(), "testdata"), action)
}

// LoadDir is Load for the cases in dir/<action>/*.json.
func LoadDir(dir, action string) ([]Case, error) {
	files, err := filepath.Glob(filepath.Join(dir, action, "*.json"))
	if err != nil {
		return nil, err
	}
	slices.Sort(files)
	var all []Case
	seen := map[string]string{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var cs []Case
		if err := json.Unmarshal(data, &cs); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		rel := filepath.Join(action, filepath.Base(f))
		for _, c := range cs {
			if prev, dup := seen[c.Name]; dup {
				return nil, fmt.Errorf("%s: case %q is also in %s", rel, c.Name, prev)
			}
			seen[c.Name] = rel
			c.File = rel
			all = append(all, c)
		}
	}
	if len(all) == 0 {
		return nil, errors.New("no cases in " + filepath.Clean(filepath.Join(dir, action)))
	}
	return all, nil
}

// WantCalls returns the expected calls as abi calls.
func (c Case) WantCalls() ([]abi.Call, error) {
	calls := make([]abi.Call, len(c.Calls))
	for i, call := range c.Calls {
		calls[i].Op = call.Op
		for _, a := range call.Args {
			v, err := valueOf(a)
			if err != nil {
				return nil, fmt.Errorf("case %q call %d: %w", c.Name, i+1, err)
			}
			calls[i].Args = append(calls[i].Args, v)
		}
	}
	return calls, nil
}

func valueOf(a any) (abi.Value, error) {
	switch a := a.(type) {
	case string:
		return abi.StringValue(a), nil
	case bool:
		return abi.BoolValue(a), nil
	case float64:
		return abi.NumberValue(a), nil
	case nil:
		return abi.KindValue(abi.Null), nil
	}
	return abi.Value{}, fmt.Errorf("argument %v has no abi form", a)
}

// Fields parses the case's event and returns the values at paths.
func (c Case) Fields(paths []string) ([]abi.Value, error) {
	ev, err := event.Parse(c.Event)
	if err != nil {
		return nil, fmt.Errorf("case %q: %w", c.Name, err)
	}
	fields, err := event.Fields(ev, paths)
	if err != nil {
		return nil, fmt.Errorf("case %q: %w", c.Name, err)
	}
	return fields, nil
}
