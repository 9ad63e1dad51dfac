package npmpkg

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/floatme/auth0-wasm-actions/internal/bundle"
)

// Targets returns the npm packages the build in buildDir wrote, from its
// manifest, after checking that each package folder still holds what the
// manifest says: its package.json's name and version, and each depending
// action's module with the manifest's digest. Anything missing or
// different is an error that says to run make wasm.
func Targets(buildDir string) ([]Target, error) {
	m, err := bundle.ReadManifest(buildDir)
	if err != nil {
		return nil, err
	}
	if len(m.Packages) == 0 {
		return nil, fmt.Errorf("%s lists no npm package, so there is nothing to publish: "+
			"its bundles embed their modules (TinyGo, the default), or it predates npm packages; "+
			"the standard Go toolchain's modules go in packages: make publish COMPILER=go",
			filepath.Join(buildDir, bundle.ManifestFile))
	}
	var out []Target
	for _, p := range m.Packages {
		t, err := target(buildDir, m, p)
		if err != nil {
			return nil, fmt.Errorf("%s is stale or incomplete: %w (run make wasm)", filepath.Join(buildDir, p.Dir), err)
		}
		out = append(out, t)
	}
	return out, nil
}

// target checks one package folder against the manifest.
func target(buildDir string, m bundle.Manifest, p bundle.Package) (Target, error) {
	if p.Name == "" || p.Version == "" || !filepath.IsLocal(p.Dir) {
		return Target{}, fmt.Errorf("manifest package %+v: want a name, a version and a folder inside the build", p)
	}
	t := Target{Name: p.Name, Version: p.Version, Dir: filepath.Join(buildDir, p.Dir)}
	data, err := os.ReadFile(filepath.Join(t.Dir, "package.json"))
	if err != nil {
		return Target{}, err
	}
	if err := checkPackageJSON(data, t); err != nil {
		return Target{}, err
	}
	var errs []error
	for _, a := range m.Actions {
		for _, d := range a.Dependencies {
			if d.Name == t.Name {
				errs = append(errs, checkModule(t, a, d))
			}
		}
	}
	return t, errors.Join(errs...)
}

// checkModule checks that action a depends on t's version and that t's
// folder holds a's module with the manifest's digest.
func checkModule(t Target, a bundle.ManifestAction, d bundle.Dependency) error {
	if d.Version != t.Version {
		return fmt.Errorf("%s depends on %s@%s, the package is %s", a.Name, d.Name, d.Version, t.Version)
	}
	file := filepath.Join(t.Dir, a.Name+".wasm")
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	if got := hex.EncodeToString(sum[:]); got != a.WasmSHA256 {
		return fmt.Errorf("%s has SHA-256 %s, the manifest %s", file, got, a.WasmSHA256)
	}
	return nil
}
