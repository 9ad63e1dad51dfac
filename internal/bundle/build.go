package bundle

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"

	"github.com/floatme/auth0-wasm-actions/actions"
	"github.com/floatme/auth0-wasm-actions/internal/auth0api"
	"github.com/floatme/auth0-wasm-actions/internal/compiler"
)

// Delivery modes, as build/manifest.json names them.
const (
	DeliveryPackage  = "npm-package"
	DeliveryEmbedded = "embedded"
)

// Options say how BuildAll builds.
type Options struct {
	// Compiler compiles the modules and, by its Embed, says how they are
	// delivered; the default compiler when its Name is empty.
	Compiler compiler.Compiler
	// PackagePrefix starts each action's npm package name (PackageName);
	// DefaultPackagePrefix when empty. Only a compiler whose modules go in
	// npm packages uses it.
	PackagePrefix string
	// Source is the folder of the module whose actions are built (a copy or
	// another revision of this repository); empty: the current folder.
	Source string
}

// BuildAll builds every action into dir: <action>.wasm, <action>.js,
// manifest.json and, when the compiler's modules go in npm packages, each
// action's package in npm/<action>/ with node_modules/ resolving its name.
// It writes nothing when any module fails its checks or a bundle is over
// budget.
func BuildAll(ctx context.Context, dir string, opts Options) (Manifest, error) {
	c, err := opts.compiler()
	if err != nil {
		return Manifest{}, err
	}
	if err := validateContracts(); err != nil {
		return Manifest{}, err
	}
	version, err := c.Version(ctx)
	if err != nil {
		return Manifest{}, err
	}
	modules, err := compileAll(ctx, dir, opts.Source, c)
	if err != nil {
		return Manifest{}, err
	}
	m := Manifest{BudgetBytes: BudgetBytes, Actions: []ManifestAction{}, Packages: []Package{}}
	files := map[string][]byte{}
	for _, a := range actions.All {
		name := a.Contract.Action
		wasm := modules[name]
		var p *Package
		if !c.Embed {
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
		ma.Compiler = CompilerRef{Name: c.Name, Version: version}
		files[ma.Wasm], files[ma.Bundle] = wasm, js
		m.Actions = append(m.Actions, ma)
	}
	if err := checkBudget(m); err != nil {
		return m, err
	}
	return m, write(dir, m, files)
}

// compiler returns o's compiler, or the default one.
func (o Options) compiler() (compiler.Compiler, error) {
	if o.Compiler.Name == "" {
		return compiler.Named(compiler.Default, "")
	}
	return o.Compiler, nil
}

// actionPackage returns the npm package that carries the action's module.
func actionPackage(prefix, action string, wasm []byte) (*Package, error) {
	name, err := PackageName(prefix, action)
	if err != nil {
		return nil, err
	}
	return &Package{Name: name, Version: PackageVersion(action+".wasm", wasm), Dir: filepath.Join(PackagesDir, action)}, nil
}

// validateContracts returns an error naming every op a contract uses that
// its trigger's api object does not have (internal/auth0api), before
// anything is built.
func validateContracts() error {
	var errs []error
	for _, a := range actions.All {
		errs = append(errs, auth0api.Validate(a.Contract))
	}
	return errors.Join(errs...)
}

// compileAll builds and checks every action's module, by action name.
func compileAll(ctx context.Context, dir, src string, c compiler.Compiler) (map[string][]byte, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	dir, err := filepath.Abs(dir) // the compiler runs in src
	if err != nil {
		return nil, err
	}
	modules := map[string][]byte{}
	for _, a := range actions.All {
		name := a.Contract.Action
		tmp := filepath.Join(dir, name+".wasm.tmp")
		if err := c.Build(ctx, src, a.Main, tmp); err != nil {
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
	deploy, deps, delivery := embedded, []Dependency{}, DeliveryEmbedded
	if p != nil {
		dep := Dependency{Name: p.Name, Version: p.Version}
		if deploy, err = RenderPackaged(a.Contract, wasm, dep, a.Contract.Action+".wasm"); err != nil {
			return ManifestAction{}, nil, err
		}
		deps, delivery = append(deps, dep), DeliveryPackage
	}
	cj, err := toContractJSON(a.Contract)
	if err != nil {
		return ManifestAction{}, nil, err
	}
	guards, err := guardRefs(a.Contract.Guards())
	if err != nil {
		return ManifestAction{}, nil, err
	}
	name := a.Contract.Action
	return ManifestAction{
		Name: name, Delivery: delivery, Bundle: name + ".js", SHA256: sha256Hex(deploy.JS), Bytes: len(deploy.JS),
		EmbeddedBytes: len(embedded.JS),
		Wasm:          name + ".wasm", WasmSHA256: sha256Hex(wasm), WasmBytes: len(wasm),
		Trigger: TriggerRef{ID: a.Contract.Trigger.ID, Version: a.Contract.Trigger.Version},
		Handler: a.Contract.Trigger.Handler, Runtime: Runtime, Secrets: a.Contract.Secrets(),
		Dependencies: deps, GoPackage: a.Main, Contract: cj,
		Guarded: guards, UserControlledReads: a.Contract.UserControlledReads(),
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
		"make the module smaller (what the action links: go list -deps; TinyGo's size report: tinygo build -size full), "+
		"shorten what the bundle carries besides the module (the contract's outcomes and values, shim/shim.js), "+
		"or deliver the modules in npm packages (make wasm COMPILER=go builds them with the standard Go toolchain; README.md, \"Two ways to deliver a module\")",
		strings.Join(over, "; "), m.BudgetBytes)
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
