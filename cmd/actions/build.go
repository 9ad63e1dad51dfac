package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/floatme/auth0-wasm-actions/internal/bundle"
	"github.com/floatme/auth0-wasm-actions/internal/compiler"
)

func cmdBuild(ctx context.Context, fs *flag.FlagSet, args []string, stdout io.Writer) error {
	dir := fs.String("dir", "build", "build folder")
	name := fs.String("compiler", compiler.Default, "guest compiler: tinygo (embedded bundles: what ships) or go (the standard Go toolchain, the reference; npm packages)")
	command := fs.String("compiler-command", "", "the compiler's executable (default: tinygo: $TINYGO, .tools/bin/tinygo or tinygo on PATH; go: go)")
	var opts bundle.Options
	fs.StringVar(&opts.PackagePrefix, "package-prefix", bundle.DefaultPackagePrefix, "start of each action's npm package name (npm-package delivery)")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	var err error
	if opts.Compiler, err = compiler.Named(*name, *command); err != nil {
		return err
	}
	m, err := bundle.BuildAll(ctx, *dir, opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d actions and %s to %s/ (%s)\n", len(m.Actions), bundle.ManifestFile, *dir, m.Actions[0].Compiler.Version)
	for _, p := range m.Packages {
		fmt.Fprintf(stdout, "npm package %s@%s in %s/%s\n", p.Name, p.Version, *dir, p.Dir)
	}
	return bundle.PrintSizes(stdout, m)
}
