package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/floatme/auth0-wasm-actions/internal/bundle"
)

func cmdBuild(ctx context.Context, fs *flag.FlagSet, args []string, stdout io.Writer) error {
	dir := fs.String("dir", "build", "build folder")
	var opts bundle.Options
	fs.StringVar(&opts.PackagePrefix, "package-prefix", bundle.DefaultPackagePrefix, "start of each action's npm package name")
	fs.BoolVar(&opts.Embed, "embed", false, "embed each module in its bundle instead (local runs; modules that fit the budget)")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	m, err := bundle.BuildAll(ctx, *dir, opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d actions and %s to %s/\n", len(m.Actions), bundle.ManifestFile, *dir)
	for _, p := range m.Packages {
		fmt.Fprintf(stdout, "npm package %s@%s in %s/%s\n", p.Name, p.Version, *dir, p.Dir)
	}
	return bundle.PrintSizes(stdout, m)
}
