package tenant

import (
	"fmt"
	"path/filepath"

	"github.com/floatme/auth0-wasm-actions/actions"
	"github.com/floatme/auth0-wasm-actions/internal/bundle"
)

// LoadManifest reads dir's manifest and checks that it names only known
// actions, each once, each with a trigger and a bundle hash.
func LoadManifest(dir string) (bundle.Manifest, error) {
	m, err := bundle.ReadManifest(dir)
	if err != nil {
		return bundle.Manifest{}, fmt.Errorf("build manifest: %w", err)
	}
	file := filepath.Join(dir, bundle.ManifestFile)
	if len(m.Actions) == 0 {
		return bundle.Manifest{}, fmt.Errorf("%s names no action (run make wasm)", file)
	}
	seen := map[string]bool{}
	for i, a := range m.Actions {
		if _, ok := actions.Named(a.Name); !ok {
			return bundle.Manifest{}, fmt.Errorf("%s: actions[%d] is %q, which this repository does not build (run make wasm)", file, i, a.Name)
		}
		if seen[a.Name] {
			return bundle.Manifest{}, fmt.Errorf("%s: %s is listed twice (run make wasm)", file, a.Name)
		}
		seen[a.Name] = true
		if a.Trigger.ID == "" || a.Trigger.Version == "" || a.SHA256 == "" || a.Runtime == "" {
			return bundle.Manifest{}, fmt.Errorf("%s: %s lacks its trigger, runtime or sha256 (run make wasm)", file, a.Name)
		}
	}
	return m, nil
}

// Triggers returns the manifest's triggers in order of first use, each
// with its actions in manifest order: the order they must run in.
func Triggers(m bundle.Manifest) ([]string, map[string][]string) {
	var order []string
	names := map[string][]string{}
	for _, a := range m.Actions {
		if _, ok := names[a.Trigger.ID]; !ok {
			order = append(order, a.Trigger.ID)
		}
		names[a.Trigger.ID] = append(names[a.Trigger.ID], a.Name)
	}
	return order, names
}
