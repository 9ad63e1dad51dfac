// Package compiler builds an action's wasm entry into a wasip1 reactor
// module with one of the two guest compilers: TinyGo, whose modules ship, or
// the standard Go toolchain, the reference implementation. It is the one
// place that knows how each compiler is run and how its modules are
// delivered; everything else asks for a Compiler by name and uses what it
// says.
package compiler

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/floatme/auth0-wasm-actions/internal/abi"
)

// Names of the compilers, as make wasm COMPILER=... and build/manifest.json
// spell them.
const (
	TinyGo = "tinygo"
	Go     = "go"
)

// Default is the compiler of the modules that ship.
const Default = TinyGo

// TinyGoVersion is the TinyGo release the build pins (tools/tinygo).
const TinyGoVersion = "0.39.0"

// tinyGoFlags are TinyGo's flags for every module (RATIONALE.md, "TinyGo's
// flags"): no DWARF, optimised for size, no goroutine scheduler, the precise
// collector, and a panic's message printed to stdout before the trap.
var tinyGoFlags = []string{"-target=wasip1", "-buildmode=c-shared", "-no-debug", "-opt=z",
	"-scheduler=none", "-gc=precise", "-panic=print"}

// Compiler is one guest compiler.
type Compiler struct {
	// Name is TinyGo or Go.
	Name string
	// Embed says whether the compiler's modules are small enough to embed in
	// their bundles within Auth0's budget: the build's default delivery.
	// Otherwise each module goes in an npm package.
	Embed bool
	// Command is the command run: a tinygo or go executable.
	Command string
}

// Named returns the compiler called name, running command (empty: the
// default command, see DefaultCommand).
func Named(name, command string) (Compiler, error) {
	if command == "" {
		command = DefaultCommand(name)
	}
	switch name {
	case TinyGo:
		return Compiler{Name: TinyGo, Embed: true, Command: command}, nil
	case Go:
		return Compiler{Name: Go, Embed: false, Command: command}, nil
	}
	return Compiler{}, fmt.Errorf("unknown compiler %q: want %s (the default; modules that ship) or %s (the standard Go toolchain, the reference)", name, TinyGo, Go)
}

// DefaultCommand returns the command of the compiler called name: for Go,
// "go"; for TinyGo, $TINYGO when set, else the one make wasm set up in the
// repository's .tools/ when it is there, else "tinygo" from PATH.
func DefaultCommand(name string) string {
	if name != TinyGo {
		return "go"
	}
	if cmd := os.Getenv("TINYGO"); cmd != "" {
		return cmd
	}
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		built := filepath.Join(filepath.Dir(file), "..", "..", ".tools", "bin", "tinygo")
		if _, err := os.Stat(built); err == nil {
			return built
		}
	}
	return "tinygo"
}

// Build compiles the Go package mainPkg of the module in the folder src
// (empty: the current folder) into a wasip1 reactor module at out; a TinyGo
// module loses its custom sections. The flags make the build reproducible:
// the same source and compiler give the same bytes, wherever the source is.
// Every module's memory is limited to abi.MaxMemory (finish).
func (c Compiler) Build(ctx context.Context, src, mainPkg, out string) error {
	var cmd *exec.Cmd
	switch c.Name {
	case TinyGo:
		cmd = exec.CommandContext(ctx, c.Command, slices.Concat([]string{"build"}, tinyGoFlags, []string{"-o", out, mainPkg})...)
		cmd.Env = os.Environ()
	default:
		cmd = exec.CommandContext(ctx, c.Command, "build", "-buildmode=c-shared", "-trimpath",
			"-buildvcs=false", "-ldflags=-s -w", "-o", out, mainPkg)
		cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm", "CGO_ENABLED=0")
	}
	cmd.Dir = src
	output, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s build %s: %w\n%s%s", c.Name, mainPkg, err, output, c.hint(err, output))
	}
	wasm, err := os.ReadFile(out)
	if err == nil {
		wasm, err = c.finish(wasm)
	}
	if err == nil {
		err = os.WriteFile(out, wasm, 0o644)
	}
	if err != nil {
		return fmt.Errorf("%s build %s: %w", c.Name, mainPkg, err)
	}
	return nil
}

// finish returns a module as the compiler wrote it made ready to ship: a
// TinyGo module without its custom sections, and every module's memory
// limited to abi.MaxMemory (ABI.md, "Memory: who owns what").
func (c Compiler) finish(wasm []byte) ([]byte, error) {
	if c.Name == TinyGo {
		stripped, err := stripCustomSections(wasm)
		if err != nil {
			return nil, fmt.Errorf("stripping custom sections: %w", err)
		}
		wasm = stripped
	}
	limited, err := limitMemory(wasm, abi.MaxMemory)
	if err != nil {
		return nil, fmt.Errorf("setting the memory maximum: %w", err)
	}
	return limited, nil
}

// hint says what to do about a compiler that is not there or refuses this
// Go.
func (c Compiler) hint(err error, output []byte) string {
	switch {
	case c.Name == TinyGo && errors.Is(err, exec.ErrNotFound):
		return "TinyGo " + TinyGoVersion + " is not on PATH: make wasm sets it up in .tools/ (or set TINYGO, or build the reference modules with make wasm COMPILER=go)"
	case c.Name == TinyGo && strings.Contains(string(output), "requires go version"):
		return "this TinyGo does not accept Go 1.26: make wasm builds a patched TinyGo " + TinyGoVersion + " into .tools/ when none is on PATH (tools/tinygo/go1.26.patch)"
	}
	return ""
}

// Version returns what the compiler says of its version: for TinyGo its
// whole `tinygo version` line (TinyGo's, Go's and LLVM's versions), for Go
// `go env GOVERSION`. A TinyGo other than TinyGoVersion is an error.
func (c Compiler) Version(ctx context.Context) (string, error) {
	args := []string{"env", "GOVERSION"}
	if c.Name == TinyGo {
		args = []string{"version"}
	}
	out, err := exec.CommandContext(ctx, c.Command, args...).Output()
	if err != nil {
		return "", fmt.Errorf("%s %s: %w%s", c.Command, strings.Join(args, " "), err, c.hint(err, nil))
	}
	v := strings.TrimSpace(string(out))
	if c.Name == TinyGo && !strings.HasPrefix(v, "tinygo version "+TinyGoVersion+" ") {
		return "", fmt.Errorf("%s is %q; the build pins TinyGo %s: take it off PATH or set TINYGO, and make wasm sets up the pinned one in .tools/", c.Command, v, TinyGoVersion)
	}
	return v, nil
}
