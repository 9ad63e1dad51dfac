package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/floatme/auth0-wasm-actions/actions"
	"github.com/floatme/auth0-wasm-actions/internal/bundle"
)

func cmdBuild(ctx context.Context, fs *flag.FlagSet, args []string, stdout io.Writer) error {
	dir := fs.String("dir", "build", "build folder")
	if err := fs.Parse(args); err != nil {
		return err
	}
	m, err := bundle.BuildAll(ctx, *dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d actions and %s to %s/\n", len(m.Actions), bundle.ManifestFile, *dir)
	return bundle.PrintSizes(stdout, m)
}

func cmdBundle(_ context.Context, fs *flag.FlagSet, args []string, stdout io.Writer) error {
	name := fs.String("action", "", "the action whose contract the bundle carries")
	wasmPath := fs.String("wasm", "", "the module to embed")
	out := fs.String("o", "", "the bundle to write")
	if err := fs.Parse(args); err != nil {
		return err
	}
	a, ok := actions.Named(*name)
	if !ok || *wasmPath == "" || *out == "" {
		return fmt.Errorf("bundle needs -action (a known action), -wasm and -o")
	}
	wasm, err := os.ReadFile(*wasmPath)
	if err != nil {
		return err
	}
	b, err := bundle.Render(a.Contract, wasm)
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, b.JS, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s (%d bytes)\n", *out, len(b.JS))
	return nil
}
