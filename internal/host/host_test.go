package host_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/actions"
	"github.com/floatme/auth0-wasm-actions/actions/mfa"
	"github.com/floatme/auth0-wasm-actions/internal/cases"
	"github.com/floatme/auth0-wasm-actions/internal/cases/casetest"
	. "github.com/floatme/auth0-wasm-actions/internal/host"
	"github.com/floatme/auth0-wasm-actions/internal/testguest"
)

// shipped holds build/<action>.wasm, the bytes that ship, by action name;
// faulty and badPointer are test guests, built by TestMain.
var (
	shipped    = map[string][]byte{}
	faulty     []byte
	badPointer []byte
)

func TestMain(m *testing.M) {
	if err := setup(); err != nil {
		fmt.Fprintln(os.Stderr, "host tests:", err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

func setup() error {
	for _, a := range actions.All {
		path := filepath.Join(cases.RepoRoot(), "build", a.Contract.Action+".wasm")
		wasm, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("%w: run make wasm first", err)
		}
		shipped[a.Contract.Action] = wasm
	}
	dir, err := os.MkdirTemp("", "testguest")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if faulty, err = testguest.Build(context.Background(), dir, "faulty"); err != nil {
		return err
	}
	badPointer, err = testguest.Build(context.Background(), dir, "badpointer")
	return err
}

// load returns wasm loaded under the contract of the action called name.
func load(t testing.TB, name string, wasm []byte) *Module {
	t.Helper()
	a, ok := actions.Named(name)
	require.True(t, ok, "unknown action %q", name)
	mod, err := Load(context.Background(), wasm, a.Contract)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, mod.Close(context.Background())) })
	return mod
}

// TestSharedCases runs testdata/ through the shipped modules.
func TestSharedCases(t *testing.T) {
	for _, a := range actions.All {
		t.Run(a.Contract.Action, func(t *testing.T) {
			casetest.Module(t, load(t, a.Contract.Action, shipped[a.Contract.Action]))
		})
	}
}

func TestInstanceIsReused(t *testing.T) {
	mod := load(t, mfa.Contract.Action, shipped[mfa.Contract.Action])
	for range 20 {
		out := mod.Run(context.Background(), map[string]any{})
		require.Nil(t, out.Failure)
	}
	assert.Equal(t, 1, mod.Instantiations(), "instances started for 20 decisions")
}

func TestLoadRefusesBytesThatAreNotAModule(t *testing.T) {
	for name, wasm := range map[string][]byte{
		"empty":     nil,
		"not wasm":  []byte("not a wasm module"),
		"truncated": shipped[mfa.Contract.Action][:len(shipped[mfa.Contract.Action])/2],
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Load(context.Background(), wasm, mfa.Contract)
			var f *Failure
			require.ErrorAs(t, err, &f)
			assert.Equal(t, ReasonModuleLoad, f.Reason)
			assert.Equal(t, "host", f.Side)
		})
	}
}
