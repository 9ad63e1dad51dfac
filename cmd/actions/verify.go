package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/floatme/auth0-wasm-actions/internal/bundle"
	"github.com/floatme/auth0-wasm-actions/internal/deploycheck"
	"github.com/floatme/auth0-wasm-actions/internal/tenant"
)

// cmdVerify compares the tenant's actions and bindings with the build's
// manifest and the bindings the deploy files declare, printing one line per
// drift and the secret names each action holds; it fails on any drift.
func cmdVerify(ctx context.Context, fs *flag.FlagSet, args []string, stdout io.Writer) error {
	dir := fs.String("dir", "build", "build folder")
	deployDir := fs.String("deploy", "deploy", "the Terraform files' folder, whose auth0_trigger_actions say what each trigger runs")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	m, err := tenant.LoadManifest(*dir)
	if err != nil {
		return err
	}
	bound, err := deployBindings(*deployDir, *dir)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, tenantTimeout)
	defer cancel()
	r, err := connectTenant(ctx)
	if err != nil {
		return err
	}
	rep, err := tenant.Verify(ctx, r, m, bound)
	if err != nil {
		return err
	}
	manifest := filepath.Join(*dir, bundle.ManifestFile)
	for _, d := range rep.Drifts {
		fmt.Fprintln(stdout, "drift    "+d.String())
	}
	for _, s := range rep.Secrets {
		fmt.Fprintln(stdout, "secrets  "+s.String())
	}
	if len(rep.Drifts) > 0 {
		return fmt.Errorf("tenant %s differs from %s and %s (%d drifts above): %s", r.Domain, manifest, *deployDir, len(rep.Drifts), tenant.Fix)
	}
	order, _ := tenant.Triggers(m)
	fmt.Fprintf(stdout, "tenant %s matches %s and %s: %d actions deployed with the built code, bound in order on %s\n",
		r.Domain, manifest, *deployDir, rep.Actions, strings.Join(order, ", "))
	return nil
}

// deployBindings reads each trigger's bindings from the deploy files in
// deployDir, checked against the build in buildDir.
func deployBindings(deployDir, buildDir string) (map[string][]deploycheck.Bound, error) {
	abs, err := filepath.Abs(buildDir)
	if err != nil {
		return nil, err
	}
	bound, diags := deploycheck.Bindings(deployDir, deploycheck.Options{BuildDir: abs})
	if diags.HasErrors() {
		return nil, fmt.Errorf("the deploy files in %s do not check against %s, so what each trigger must run is not known (fix them; make deploy-check):\n%s", deployDir, buildDir, deploycheck.Format(diags))
	}
	return bound, nil
}
