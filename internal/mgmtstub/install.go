package mgmtstub

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// NPM installs dependencies with npm install from one registry, as Auth0's
// build installs them from the public npm registry.
type NPM struct {
	Bin      string   // the npm command
	Registry string   // the registry URL, for every package and scope
	Env      []string // npm's environment (its configuration, cache, PATH)
}

// Install writes a package.json declaring deps and a project .npmrc naming
// the registry (for the packages' scopes too) into dir and runs npm install
// there.
func (n NPM) Install(ctx context.Context, dir string, deps []Dependency) error {
	declared := map[string]string{}
	rc := "registry=" + n.Registry + "\n"
	for _, d := range deps {
		declared[d.Name] = d.Version
		if scope, _, ok := strings.Cut(d.Name, "/"); ok && strings.HasPrefix(scope, "@") {
			rc += scope + ":registry=" + n.Registry + "\n"
		}
	}
	pkg, err := json.Marshal(map[string]any{"name": "mgmtstub-build", "private": true, "dependencies": declared})
	if err != nil {
		return err
	}
	for name, data := range map[string][]byte{"package.json": pkg, ".npmrc": []byte(rc)} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			return err
		}
	}
	cmd := exec.CommandContext(ctx, n.Bin, "install", "--no-audit", "--no-fund", "--no-package-lock", "--omit=dev")
	cmd.Dir, cmd.Env = dir, n.Env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("npm install from %s: %w: %s", n.Registry, err, clip(out.String(), 2048))
	}
	return nil
}

// Folders installs dependencies by copying package folders (each holding a
// package.json with its name and version; e.g. build/npm/*), for tests
// without a registry. A dependency with no folder of its name and version
// cannot be installed.
type Folders []string

// Install copies each dependency's folder to dir/node_modules/<name>.
func (f Folders) Install(_ context.Context, dir string, deps []Dependency) error {
	for _, d := range deps {
		src, err := f.find(d)
		if err != nil {
			return err
		}
		if err := copyTree(src, filepath.Join(dir, "node_modules", filepath.FromSlash(d.Name))); err != nil {
			return fmt.Errorf("installing %s@%s: %w", d.Name, d.Version, err)
		}
	}
	return nil
}

// find returns the folder holding d.
func (f Folders) find(d Dependency) (string, error) {
	for _, folder := range f {
		data, err := os.ReadFile(filepath.Join(folder, "package.json"))
		if err != nil {
			continue // not a package folder
		}
		var pkg struct{ Name, Version string }
		if json.Unmarshal(data, &pkg) == nil && pkg.Name == d.Name && pkg.Version == d.Version {
			return folder, nil
		}
	}
	return "", fmt.Errorf("404 Not Found: no package %s@%s among %d folders", d.Name, d.Version, len(f))
}

// copyTree copies the regular files under src into dst.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		if e.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if !e.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
}
