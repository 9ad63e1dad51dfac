package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/floatme/auth0-wasm-actions/internal/cases"
	"github.com/floatme/auth0-wasm-actions/internal/tenant"
)

// cmdSmoke runs the shared cases through the tenant's "test an action" and
// prints a line per case (PASS, FAIL, UNVERIFIED, SKIP, ERROR) and a
// summary; it fails on any FAIL or ERROR, when an action could not be
// tested at all, and with -strict on any UNVERIFIED.
func cmdSmoke(ctx context.Context, fs *flag.FlagSet, args []string, stdout io.Writer) error {
	dir := fs.String("dir", "build", "build folder")
	casesDir := fs.String("cases", "testdata", "folder of the shared cases")
	secretsFile := fs.String("secrets", "", `JSON file of the tenant's secret values: {"ACTION": {"NAME": "value"}}`)
	only := fs.String("action", "", "comma-separated actions to test (default: all)")
	parallel := fs.Int("parallel", 2, "tests run at once (Auth0 rate-limits the Management API)")
	strict := fs.Bool("strict", false, "fail when a case is UNVERIFIED (the tenant's answer did not show the decision)")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	m, err := tenant.LoadManifest(*dir)
	if err != nil {
		return err
	}
	opts := tenant.SmokeOptions{
		Cases:    func(action string) ([]cases.Case, error) { return cases.LoadDir(*casesDir, action) },
		Parallel: *parallel,
	}
	if *only != "" {
		opts.Only = strings.Split(*only, ",")
	}
	if opts.Secrets, err = readSecrets(*secretsFile); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, tenantTimeout)
	defer cancel()
	r, err := connectTenant(ctx)
	if err != nil {
		return err
	}
	rep, err := tenant.Smoke(ctx, r, m, opts)
	if err != nil {
		return err
	}
	for _, res := range rep.Results {
		fmt.Fprintln(stdout, res.String())
	}
	for _, e := range rep.Errors {
		fmt.Fprintln(stdout, "ERROR "+e)
	}
	fmt.Fprintf(stdout, "smoke: %d passed, %d failed, %d unverified, %d skipped, %d errors\n", rep.Count(tenant.Passed),
		rep.Count(tenant.Failed), rep.Count(tenant.Unverified), rep.Count(tenant.Skipped), rep.Count(tenant.Errored))
	switch {
	case !rep.OK():
		return fmt.Errorf("smoke test of tenant %s failed: %d cases failed, %d got no answer, %d actions untested (lines above)",
			r.Domain, rep.Count(tenant.Failed), rep.Count(tenant.Errored), len(rep.Errors))
	case *strict && !rep.Proven():
		return fmt.Errorf("smoke test of tenant %s proved too little (-strict): %d cases ran without throwing, but the tenant's answers did not show their decisions", r.Domain, rep.Count(tenant.Unverified))
	case !rep.Proven():
		fmt.Fprintf(stdout, "smoke: %d cases UNVERIFIED: they ran in Auth0 without throwing, but the answers held no console output to show what they decided\n", rep.Count(tenant.Unverified))
	}
	return nil
}

// readSecrets reads the -secrets file; none given: no values known.
func readSecrets(file string) (map[string]map[string]string, error) {
	if file == "" {
		return nil, nil
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("-secrets: %w", err)
	}
	var s map[string]map[string]string
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf(`-secrets %s: want {"ACTION": {"NAME": "value"}}: %w`, file, err)
	}
	return s, nil
}
