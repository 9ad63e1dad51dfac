package deploytest_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// tools are what the deploy test runs: paths into the repository and the
// binaries it needs.
type tools struct {
	root      string // the repository
	terraform string
	mirror    string // the filesystem mirror holding the auth0 provider
	node      string // Node 18
	goCmd     string // go, to build the actions command that publishes
	npm       string // npm on PATH: publishes, and installs in the stand-in's builds
	hostNode  string // node on PATH (20 or later): runs verdaccio
	verdaccio string // node_modules/verdaccio's command
}

// providerPath is the provider's place in a filesystem mirror.
var providerPath = filepath.Join("registry.terraform.io", "auth0", "auth0", "1.0.0",
	runtime.GOOS+"_"+runtime.GOARCH, "terraform-provider-auth0_v1.0.0")

// findTools returns the tools. It skips unless DEPLOY_TEST is set (make
// deploy-test sets it), and fails naming the make target that builds
// whatever is missing.
func findTools(t *testing.T) tools {
	if os.Getenv("DEPLOY_TEST") == "" {
		t.Skip("the deploy test runs under make deploy-test (DEPLOY_TEST=1)")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	tl := tools{
		root:      root,
		terraform: terraformBinary(root),
		mirror:    filepath.Join(root, ".tools", "providers"),
		node:      filepath.Join(root, "node_modules", "node18", "bin", "node"),
		verdaccio: filepath.Join(root, "node_modules", "verdaccio", "bin", "verdaccio"),
	}
	var missing []string
	for _, p := range []struct {
		dst        *string
		name, hint string
	}{{&tl.goCmd, "go", "install Go 1.26"}, {&tl.npm, "npm", "install Node.js 20 or later with npm"}, {&tl.hostNode, "node", "install Node.js 20 or later"}} {
		var err error
		if *p.dst, err = exec.LookPath(p.name); err != nil {
			missing = append(missing, p.name+" on PATH: "+p.hint)
		}
	}
	if !isFile(tl.verdaccio) {
		missing = append(missing, "verdaccio in node_modules: run make node_modules/.installed (npm ci)")
	}
	if tl.terraform == "" {
		missing = append(missing, "terraform (not on PATH, no .tools/bin/terraform): run make tools")
	}
	if !isFile(filepath.Join(tl.mirror, providerPath)) {
		missing = append(missing, "the auth0 provider in .tools/providers: run make tools")
	}
	if !isFile(tl.node) {
		missing = append(missing, "Node 18 in node_modules/node18: run make node_modules/.installed (npm ci)")
	}
	if !isFile(filepath.Join(root, "build", "manifest.json")) {
		missing = append(missing, "build/manifest.json: run make wasm")
	}
	if len(missing) > 0 {
		t.Fatalf("missing:\n  %s\n(make deploy-test builds them all)", strings.Join(missing, "\n  "))
	}
	return tl
}

// terraformBinary returns $TERRAFORM, else terraform from PATH, else the one
// make tools builds; empty when there is none.
func terraformBinary(root string) string {
	if tf := os.Getenv("TERRAFORM"); tf != "" {
		return tf
	}
	if tf, err := exec.LookPath("terraform"); err == nil {
		return tf
	}
	if tf := filepath.Join(root, ".tools", "bin", "terraform"); isFile(tf) {
		return tf
	}
	return ""
}

// isFile reports whether path is a regular file.
func isFile(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.Mode().IsRegular()
}
