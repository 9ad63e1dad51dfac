package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/floatme/auth0-wasm-actions/internal/npmpkg"
)

// cmdPublish publishes the build's npm package with npm publish, to the
// registry of the user's npm configuration, once per version: a version the
// registry already holds with the same files is left alone, with other
// files refused.
func cmdPublish(ctx context.Context, fs *flag.FlagSet, args []string, stdout io.Writer) error {
	dir := fs.String("dir", "build", "build folder")
	tag := fs.String("tag", "wasm-build", "npm dist-tag to publish under")
	access := fs.String("access", "", "npm publish --access (public, restricted); npm's configuration when empty")
	npm := fs.String("npm", "npm", "npm command")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return fmt.Errorf("publish takes no arguments, got %q", fs.Args())
	}
	targets, err := npmpkg.Targets(*dir)
	if err != nil {
		return err
	}
	client := npmpkg.NPM{Bin: *npm, Stderr: os.Stderr}
	for _, t := range targets {
		if err := publishOne(ctx, client, t, *tag, *access, stdout); err != nil {
			return err
		}
	}
	return nil
}

// publishOne publishes one package and says what it did.
func publishOne(ctx context.Context, c npmpkg.Client, t npmpkg.Target, tag, access string, stdout io.Writer) error {
	registry, err := c.Registry(ctx, t.Name)
	if err != nil {
		return fmt.Errorf("reading npm's configuration: %w", err)
	}
	fmt.Fprintf(stdout, "package   %s (%s)\nregistry  %s\n", t.Spec(), t.Dir, registry)
	res, err := npmpkg.Publish(ctx, c, t, tag, access)
	if err != nil {
		return err
	}
	switch res.Outcome {
	case npmpkg.Published:
		fmt.Fprintf(stdout, "published %s with tag %s (%d files)\n", t.Spec(), tag, res.Files)
	case npmpkg.AlreadyPublished:
		fmt.Fprintf(stdout, "already published, nothing to do: the registry holds %s with the same %d files\n", t.Spec(), res.Files)
	default:
		return fmt.Errorf("publish %s: unknown outcome %d", t.Spec(), res.Outcome)
	}
	return nil
}
