package registrytest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// tools are the programs the rehearsal runs.
type tools struct {
	goCmd     string // go, to build the actions command
	npm       string // npm on PATH: the client a user publishes with
	node      string // node on PATH (20 or later): runs verdaccio
	node18    string // node_modules/node18: runs the bundles, as Auth0 does
	verdaccio string // node_modules/verdaccio's command
}

// needTools finds the tools or fails saying what to install or run.
func needTools(t *testing.T, root string) tools {
	t.Helper()
	var tl tools
	var missing []string
	look := func(name, hint string) string {
		p, err := exec.LookPath(name)
		if err != nil {
			missing = append(missing, name+" on PATH: "+hint)
		}
		return p
	}
	tl.goCmd = look("go", "install Go 1.26")
	tl.npm = look("npm", "install Node.js 20 or later with npm")
	tl.node = look("node", "install Node.js 20 or later")
	if tl.node != "" {
		if major, err := nodeMajor(tl.node); err != nil || major < 20 {
			missing = append(missing, "node on PATH is not Node 20 or later (verdaccio 6 needs it): "+describe(major, err))
		}
	}
	local := func(rel string) string {
		p := filepath.Join(root, rel)
		if _, err := os.Stat(p); err != nil {
			missing = append(missing, rel+": run npm ci in the repository root (make test-registry does)")
		}
		return p
	}
	tl.node18 = local("node_modules/node18/bin/node")
	tl.verdaccio = local("node_modules/verdaccio/bin/verdaccio")
	if len(missing) > 0 {
		t.Fatalf("the registry rehearsal cannot run; it needs:\n  %s", strings.Join(missing, "\n  "))
	}
	return tl
}

// nodeMajor returns a node binary's major version.
func nodeMajor(node string) (int, error) {
	out, err := exec.Command(node, "-p", "process.versions.node").Output()
	if err != nil {
		return 0, err
	}
	major, _, _ := strings.Cut(strings.TrimSpace(string(out)), ".")
	return strconv.Atoi(major)
}

func describe(major int, err error) string {
	if err != nil {
		return err.Error()
	}
	return "major version " + strconv.Itoa(major)
}
