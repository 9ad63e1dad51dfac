package bundle

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"

	"github.com/floatme/auth0-wasm-actions/actions"
)

// Delivery modes, as build/manifest.json names them.
const (
	DeliveryPackage  = "npm-package"
	DeliveryEmbedded = "embedded"
)

// Options say how BuildAll delivers the modules.
type Options struct {
	// PackagePrefix starts each action's npm package name (PackageName);
	// DefaultPackagePrefix when empty.
	PackagePrefix string
	// Embed puts each module in its bundle instead of a package: for local
	// runs, and for modules small enough to fit Auth0's budget.
	Embed bool
}

// BuildAll builds every action into dir: <action>.wasm, <action>.js,
// manifest.json and, unless opts.Embed, each action's npm package in
// npm/<action>/ with node_modules/ resolving its name. It writes nothing
// when any module fails its checks or, delivering through packages, when a
// bundle is over budget.
func BuildAll(ctx context.Context, dir string, opts Options) (Manifest, error) {
	modules, err := compileAll(ctx, dir)
	if err != nil {
		return Manifest{}, err
	}
	m := Manifest{BudgetBytes: BudgetBytes, Delivery: DeliveryPackage, Actions: []ManifestAction{}, Packages: []Package{}}
	if opts.Embed {
		m.Delivery = DeliveryEmbedded
	}
	files := map[string][]byte{}
	for _, a := range actions.All {
		name := a.Contract.Action
		wasm := modules[name]
		var p *Package
		if !opts.Embed {
			if p, err = actionPackage(cmp.Or(opts.PackagePrefix, DefaultPackagePrefix), name, wasm); err != nil {
				return Manifest{}, err
			}
			m.Packages = append(m.Packages, *p)
			pf, err := packageFiles(*p, name+".wasm", wasm)
			if err != nil {
				return Manifest{}, err
			}
			maps.Copy(files, pf)
		}
		ma, js, err := describe(a, wasm, p)
		if err != nil {
			return Manifest{}, fmt.Errorf("%s: %w", name, err)
		}
		files[ma.Wasm], files[ma.Bundle] = wasm, js
		m.Actions = append(m.Actions, ma)
	}
	if !opts.Embed {
		if err := checkBudget(m); err != nil {
			return m, err
		}
	}
	return m, write(dir, m, files)
}

// actionPackage returns the npm package that carries the action's module.
func actionPackage(prefix, action string, wasm []byte) (*Package, error) {
	name, err := PackageName(prefix, action)
	if err != nil {
		return nil, err
	}
	return &Package{Name: name, Version: PackageVersion(action+".wasm", wasm), Dir: filepath.Join(PackagesDir, action)}, nil
}

// compileAll builds and checks every action's module, by action name.
func compileAll(ctx context.Context, dir string) (map[string][]byte, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	modules := map[string][]byte{}
	for _, a := range actions.All {
		name := a.Contract.Action
		tmp := filepath.Join(dir, name+".wasm.tmp")
		if err := CompileWasm(ctx, a.Main, tmp); err != nil {
			return nil, err
		}
		wasm, err := os.ReadFile(tmp)
		if err := firstErr(err, os.Remove(tmp)); err != nil {
			return nil, err
		}
		if err := CheckModule(ctx, wasm); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		modules[name] = wasm
	}
	return modules, nil
}

// describe renders a's bundle, loading wasm from the package p or, when p
// is nil, embedding it, and returns its manifest entry and its bytes.
func describe(a actions.Action, wasm []byte, p *Package) (ManifestAction, []byte, error) {
	embedded, err := Render(a.Contract, wasm)
	if err != nil {
		return ManifestAction{}, nil, err
	}
	deploy, deps := embedded, []Dependency{}
	if p != nil {
		dep := Dependency{Name: p.Name, Version: p.Version}
		if deploy, err = RenderPackaged(a.Contract, wasm, dep, a.Contract.Action+".wasm"); err != nil {
			return ManifestAction{}, nil, err
		}
		deps = append(deps, dep)
	}
	name := a.Contract.Action
	return ManifestAction{
		Name: name, Bundle: name + ".js", SHA256: sha256Hex(deploy.JS), Bytes: len(deploy.JS),
		EmbeddedBytes: len(embedded.JS),
		Wasm:          name + ".wasm", WasmSHA256: sha256Hex(wasm), WasmBytes: len(wasm), CompressedBytes: embedded.CompressedWasm,
		Trigger: TriggerRef{ID: a.Contract.Trigger.ID, Version: a.Contract.Trigger.Version},
		Handler: a.Contract.Trigger.Handler, Runtime: Runtime, Secrets: a.Contract.Secrets(),
		Dependencies: deps, GoPackage: a.Main,
	}, deploy.JS, nil
}

// checkBudget returns an error naming every bundle over the budget and the
// ways out.
func checkBudget(m Manifest) error {
	var over []string
	for _, a := range m.Actions {
		if a.Bytes > m.BudgetBytes {
			over = append(over, fmt.Sprintf("%s is %d bytes", a.Bundle, a.Bytes))
		}
	}
	if len(over) == 0 {
		return nil
	}
	return fmt.Errorf("%s, over Auth0's %d-byte budget for an Action's code: "+
		"deliver the modules in npm packages (the default; drop -embed), "+
		"shorten what the bundle carries besides the shim (the contract's outcomes and values), "+
		"or shrink shim/shim.js", strings.Join(over, "; "), m.BudgetBytes)
}

// write replaces dir's build with files and m's manifest.json, and links
// node_modules to the package when m lists one.
func write(dir string, m Manifest, files map[string][]byte) error {
	mj, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	files[ManifestFile] = append(mj, '\n')
	for _, stale := range []string{PackagesDir, NodeModules} {
		if err := os.RemoveAll(filepath.Join(dir, stale)); err != nil {
			return err
		}
	}
	for name, data := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return err
		}
	}
	for _, p := range m.Packages {
		if err := linkPackage(dir, p); err != nil {
			return err
		}
	}
	return nil
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
