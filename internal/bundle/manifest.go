package bundle

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/floatme/auth0-wasm-actions/actions"
)

// ManifestFile is the manifest's name in the build folder.
const ManifestFile = "manifest.json"

// Runtime is the Auth0 Actions runtime every bundle targets.
const Runtime = "node18"

// Manifest is build/manifest.json: what was built, for deploy files and
// outside checks. Paths are relative to the build folder.
type Manifest struct {
	BudgetBytes int              `json:"budget_bytes"`
	Actions     []ManifestAction `json:"actions"`
	Packages    []Package        `json:"packages"`
}

// ManifestAction is one built action.
type ManifestAction struct {
	Name            string       `json:"name"`
	Bundle          string       `json:"bundle"`
	SHA256          string       `json:"sha256"`
	Bytes           int          `json:"bytes"`
	Wasm            string       `json:"wasm"`
	WasmSHA256      string       `json:"wasm_sha256"`
	WasmBytes       int          `json:"wasm_bytes"`
	CompressedBytes int          `json:"compressed_bytes"`
	Trigger         TriggerRef   `json:"trigger"`
	Handler         string       `json:"handler"`
	Runtime         string       `json:"runtime"`
	Secrets         []string     `json:"secrets"`
	Dependencies    []Dependency `json:"dependencies"`
	GoPackage       string       `json:"go_package"`
}

// TriggerRef names an Auth0 trigger.
type TriggerRef struct {
	ID      string `json:"id"`
	Version string `json:"version"`
}

// Dependency is an npm package an action requires.
type Dependency struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Package is an npm package the build wrote, in Dir under the build folder.
type Package struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Dir     string `json:"dir"`
}

// BuildAll builds every action into dir: <action>.wasm, <action>.js and
// manifest.json. It writes nothing when any module fails its checks.
func BuildAll(ctx context.Context, dir string) (Manifest, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Manifest{}, err
	}
	m := Manifest{BudgetBytes: BudgetBytes, Actions: []ManifestAction{}, Packages: []Package{}}
	files := map[string][]byte{}
	for _, a := range actions.All {
		name := a.Contract.Action
		wasmPath := filepath.Join(dir, name+".wasm.tmp")
		if err := CompileWasm(ctx, a.Main, wasmPath); err != nil {
			return Manifest{}, err
		}
		wasm, err := os.ReadFile(wasmPath)
		if err := firstErr(err, os.Remove(wasmPath)); err != nil {
			return Manifest{}, err
		}
		if err := CheckModule(ctx, wasm); err != nil {
			return Manifest{}, fmt.Errorf("%s: %w", name, err)
		}
		b, err := Render(a.Contract, wasm)
		if err != nil {
			return Manifest{}, fmt.Errorf("%s: %w", name, err)
		}
		files[name+".wasm"], files[name+".js"] = wasm, b.JS
		m.Actions = append(m.Actions, ManifestAction{
			Name: name, Bundle: name + ".js", SHA256: sha256Hex(b.JS), Bytes: len(b.JS),
			Wasm: name + ".wasm", WasmSHA256: sha256Hex(wasm), WasmBytes: len(wasm), CompressedBytes: b.CompressedWasm,
			Trigger: TriggerRef{ID: a.Contract.Trigger.ID, Version: a.Contract.Trigger.Version},
			Handler: a.Contract.Trigger.Handler, Runtime: Runtime, Secrets: a.Contract.Secrets(),
			Dependencies: []Dependency{}, GoPackage: a.Main,
		})
	}
	mj, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return Manifest{}, err
	}
	files[ManifestFile] = append(mj, '\n')
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return Manifest{}, err
		}
	}
	return m, nil
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// PrintSizes writes the size table: each module and bundle against Auth0's
// budget.
func PrintSizes(w io.Writer, m Manifest) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "action\twasm bytes\tgzip bytes\tbundle bytes\tbudget\tverdict\t\n")
	for _, a := range m.Actions {
		verdict := "within budget"
		if over := a.Bytes - m.BudgetBytes; over > 0 {
			verdict = fmt.Sprintf("over by %d", over)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%s\t\n", a.Name, a.WasmBytes, a.CompressedBytes, a.Bytes, m.BudgetBytes, verdict)
	}
	return tw.Flush()
}

// ReadManifest reads dir's manifest.
func ReadManifest(dir string) (Manifest, error) {
	data, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		return Manifest{}, fmt.Errorf("%w (run make wasm)", err)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return Manifest{}, fmt.Errorf("%s: %w", filepath.Join(dir, ManifestFile), err)
	}
	return m, nil
}
