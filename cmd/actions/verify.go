package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/floatme/auth0-wasm-actions/internal/bundle"
	"github.com/floatme/auth0-wasm-actions/internal/tenant"
)

// cmdVerify compares the tenant's actions and bindings with the build's
// manifest, printing one line per drift; it fails on any drift.
func cmdVerify(ctx context.Context, fs *flag.FlagSet, args []string, stdout io.Writer) error {
	dir := fs.String("dir", "build", "build folder")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	m, err := tenant.LoadManifest(*dir)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, tenantTimeout)
	defer cancel()
	r, err := connectTenant(ctx)
	if err != nil {
		return err
	}
	rep, err := tenant.Verify(ctx, r, m)
	if err != nil {
		return err
	}
	manifest := filepath.Join(*dir, bundle.ManifestFile)
	for _, d := range rep.Drifts {
		fmt.Fprintln(stdout, "drift  "+d.String())
	}
	for _, n := range rep.Notes {
		fmt.Fprintln(stdout, "note   "+n)
	}
	if len(rep.Drifts) > 0 {
		return fmt.Errorf("tenant %s differs from %s (%d drifts above): %s", r.Domain, manifest, len(rep.Drifts), tenant.Fix)
	}
	order, _ := tenant.Triggers(m)
	fmt.Fprintf(stdout, "tenant %s matches %s: %d actions deployed with the built code, bound in order on %s\n",
		r.Domain, manifest, rep.Actions, strings.Join(order, ", "))
	return nil
}
