package bundle

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// DefaultPackagePrefix starts the name of every action's npm package unless
// the build is told otherwise: the package of mfa_action is
// @floatme/auth0-wasm-mfa-action. One package per action keeps a change to
// one module from changing the other actions' dependencies.
const DefaultPackagePrefix = "@floatme/auth0-wasm"

// PackagesDir holds one folder per action's package in the build folder.
// NodeModules, next to it, resolves each package's name to its folder for
// bundles run from the build folder, as Auth0's installed dependencies do
// for deployed ones.
const (
	PackagesDir = "npm"
	NodeModules = "node_modules"
)

// packageVersionBase is the version every content-derived version starts
// with; the prerelease part that follows names the modules' bytes.
const packageVersionBase = "0.1.0-sha-"

// npmName is npm's rule for a package name: lower case, URL-safe, with an
// optional scope.
var npmName = regexp.MustCompile(`^(@[a-z0-9][a-z0-9._-]*/)?[a-z0-9][a-z0-9._-]*$`)

// PackageName returns the name of action's package: prefix, '-', and the
// action's name with '_' as '-'; an error when that is not a valid npm
// package name.
func PackageName(prefix, action string) (string, error) {
	name := prefix + "-" + strings.ReplaceAll(action, "_", "-")
	if len(name) > 214 || !npmName.MatchString(name) {
		return "", fmt.Errorf("npm package name %q (from the prefix %q) is not valid: lower case letters, digits, '.', '_', '-', with an optional @scope/ (e.g. %s)", name, prefix, DefaultPackagePrefix)
	}
	return name, nil
}

// PackageVersion derives a package's version from the bytes of its module
// file: different bytes give a different version, so a new build never
// reuses a published version.
func PackageVersion(file string, wasm []byte) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%d\x00", file, len(wasm))
	h.Write(wasm)
	return packageVersionBase + hex.EncodeToString(h.Sum(nil))[:16]
}

// packageJSON is a package's package.json.
type packageJSON struct {
	Name        string   `json:"name"`
	Version     string   `json:"version"`
	Description string   `json:"description"`
	License     string   `json:"license"`
	Files       []string `json:"files"`
}

// packageFiles returns the files of the package p, which holds wasm, by
// their paths relative to the build folder.
func packageFiles(p Package, file string, wasm []byte) (map[string][]byte, error) {
	pj, err := json.MarshalIndent(packageJSON{
		Name: p.Name, Version: p.Version, License: "UNLICENSED", Files: []string{file},
		Description: "The WebAssembly module " + file + " of an Auth0 Action built by make wasm; the Action requires it from here and checks its SHA-256.",
	}, "", "  ")
	if err != nil {
		return nil, err
	}
	return map[string][]byte{filepath.Join(p.Dir, "package.json"): append(pj, '\n'), filepath.Join(p.Dir, file): wasm}, nil
}

// linkPackage makes dir/node_modules/<name> a relative symbolic link to the
// package's folder.
func linkPackage(dir string, p Package) error {
	link := filepath.Join(dir, NodeModules, filepath.FromSlash(p.Name))
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		return err
	}
	up := strings.Repeat("../", strings.Count(p.Name, "/")+1)
	return os.Symlink(up+filepath.ToSlash(p.Dir), link)
}
