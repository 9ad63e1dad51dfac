// Package testguest holds modules that misbehave on purpose, for the fault
// tests of both hosts: faulty (a guest whose behaviour the event's email
// picks, see faultmode), extraimport (a guest importing what the shim does
// not provide), badpointer (a guest whose response lies outside its memory),
// and faultbundles, which writes the bundles the Node fault
// tests load.
package testguest

import (
	"context"
	"os"
	"path/filepath"

	"github.com/floatme/auth0-wasm-actions/internal/compiler"
)

const pkg = "github.com/floatme/auth0-wasm-actions/internal/testguest/"

// Build compiles the test guest called name ("faulty", "extraimport",
// "badpointer") with c into dir and returns its bytes.
func Build(ctx context.Context, c compiler.Compiler, dir, name string) ([]byte, error) {
	out := filepath.Join(dir, name+".wasm")
	if err := c.Build(ctx, "", pkg+name, out); err != nil {
		return nil, err
	}
	return os.ReadFile(out)
}
