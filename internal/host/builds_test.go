package host_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/floatme/auth0-wasm-actions/actions"
	"github.com/floatme/auth0-wasm-actions/internal/bundle"
	"github.com/floatme/auth0-wasm-actions/internal/cases"
	"github.com/floatme/auth0-wasm-actions/internal/testguest"
)

// build is one compilation of the actions as these tests load it: the
// modules of a build folder (build/, TinyGo: what ships; build/go/, the
// standard Go toolchain: the reference) and the test guests compiled by the
// same compiler in TestMain.
type build struct {
	compiler           string
	folder             string            // the build folder: build/ or build/go/
	modules            map[string][]byte // <action>.wasm by action name
	faulty, badPointer []byte
}

// builds holds both builds; builds[0] is what ships.
var builds []*build

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "testguest")
	if err == nil {
		err = setup(dir)
		os.RemoveAll(dir)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "host tests:", err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

// setup loads every build folder and builds its test guests in dir.
func setup(dir string) error {
	ctx := context.Background()
	for _, folder := range cases.Builds() {
		m, err := bundle.ReadManifest(folder)
		if err != nil {
			return fmt.Errorf("%w: run make wasm wasm-go first", err)
		}
		c, err := m.Compiler()
		if err != nil {
			return err
		}
		b := &build{compiler: c.Name, folder: folder, modules: map[string][]byte{}}
		for _, a := range actions.All {
			if b.modules[a.Contract.Action], err = os.ReadFile(filepath.Join(folder, a.Contract.Action+".wasm")); err != nil {
				return fmt.Errorf("%w: run make wasm wasm-go first", err)
			}
		}
		guests := filepath.Join(dir, c.Name)
		if b.faulty, err = testguest.Build(ctx, c, guests, "faulty"); err != nil {
			return err
		}
		if b.badPointer, err = testguest.Build(ctx, c, guests, "badpointer"); err != nil {
			return err
		}
		builds = append(builds, b)
	}
	return nil
}

// eachBuild runs f once per build, as subtests named by the compiler.
func eachBuild(t *testing.T, f func(t *testing.T, b *build)) {
	for _, b := range builds {
		t.Run(b.compiler, func(t *testing.T) { f(t, b) })
	}
}
