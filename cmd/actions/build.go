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
