package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/floatme/auth0-wasm-actions/internal/npmpkg"
)

// cmdPublish publishes the build's npm packages with npm publish, to the
// registry of the user's npm configuration, once per version: a version the
// registry already holds with the same files is left alone; one with other
// files is refused, and then nothing is published.
func cmdPublish(ctx context.Context, fs *flag.FlagSet, args []string, stdout io.Writer) error {
	dir := fs.String("dir", "build", "build folder")
	tag := fs.String("tag", "wasm-build", "npm dist-tag to publish under")
	access := fs.String("access", "", "npm publish --access (public, restricted); npm's configuration when empty")
	npm := fs.String("npm", "npm", "npm command")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	targets, err := npmpkg.Targets(*dir)
	if err != nil {
		return err
	}
	client := npmpkg.NPM{Bin: *npm, Stderr: os.Stderr, Stdin: os.Stdin}
	names := make([]string, len(targets))
	for i, t := range targets {
		names[i] = t.Name
	}
	registries, err := client.Registries(ctx, names)
	if err != nil {
		return fmt.Errorf("reading npm's configuration: %w", err)
	}
	for _, t := range targets {
		fmt.Fprintf(stdout, "package   %s (%s) -> %s\n", t.Spec(), t.Dir, registries[t.Name])
	}
	results, err := npmpkg.PublishAll(ctx, client, targets, *tag, *access)
	for _, r := range results {
		switch r.Outcome {
		case npmpkg.Published:
			fmt.Fprintf(stdout, "published %s with tag %s (%d files)\n", r.Target.Spec(), *tag, r.Files)
		case npmpkg.AlreadyPublished:
			fmt.Fprintf(stdout, "already published, nothing to do: the registry holds %s with the same %d files\n", r.Target.Spec(), r.Files)
		}
	}
	return err
}
