// Command faultbundles writes the bundles the Node fault tests load, into
// the folder given as its argument (make writes build/faults and
// build/go/faults), with the test guests compiled by -compiler:
//
//	faulty_<action>.js     the faulty guest under each action's contract
//	truncated_<action>.js  each action with half a module
//	notwasm_<action>.js    each action with bytes that are not a module
//	cutpayload_<action>.js each action with four characters cut from the
//	                       middle of its embedded module
//	badpointer_<action>.js each action with a guest whose response lies
//	                       outside its memory
//	tampered_<action>.js   each action loading its module from an npm package
//	                       (in node_modules/) that holds other bytes than it pins
//	missingpkg_<action>.js each action loading its module from a package
//	                       that is not installed
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/floatme/auth0-wasm-actions/actions"
	"github.com/floatme/auth0-wasm-actions/internal/bundle"
	"github.com/floatme/auth0-wasm-actions/internal/compiler"
	"github.com/floatme/auth0-wasm-actions/internal/contract"
	"github.com/floatme/auth0-wasm-actions/internal/testguest"
)

func main() {
	name := flag.String("compiler", compiler.Default, "the guest compiler: tinygo or go")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: faultbundles [-compiler tinygo|go] DIR")
		os.Exit(2)
	}
	c, err := compiler.Named(*name, "")
	if err == nil {
		err = write(context.Background(), c, flag.Arg(0))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "faultbundles:", err)
		os.Exit(1)
	}
}

func write(ctx context.Context, c compiler.Compiler, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	faulty, err := testguest.Build(ctx, c, dir, "faulty")
	if err != nil {
		return err
	}
	if err := bundle.CheckModule(ctx, faulty); err != nil {
		return fmt.Errorf("faulty guest: %w", err)
	}
	badPointer, err := testguest.Build(ctx, c, dir, "badpointer")
	if err != nil {
		return err
	}
	bundles := map[string][]byte{}
	for _, a := range actions.All {
		name := a.Contract.Action
		for prefix, wasm := range map[string][]byte{
			"faulty_":     faulty,
			"truncated_":  faulty[:len(faulty)/2],
			"notwasm_":    []byte("not a wasm module"),
			"badpointer_": badPointer,
		} {
			b, err := bundle.Render(a.Contract, wasm)
			if err != nil {
				return err
			}
			bundles[prefix+name+".js"] = b.JS
		}
		cut, err := cutPayload(bundles["faulty_"+name+".js"])
		if err != nil {
			return err
		}
		bundles["cutpayload_"+name+".js"] = cut
		if err := packagedFaults(dir, a.Contract, faulty, bundles); err != nil {
			return err
		}
	}
	for name, js := range bundles {
		if err := os.WriteFile(filepath.Join(dir, name), js, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// cutPayload cuts four base64 characters (three bytes) from the middle of
// the embedded module, which no longer decodes to its recorded length.
func cutPayload(js []byte) ([]byte, error) {
	key := []byte(`"base64":"`)
	at := bytes.Index(js, key)
	if at < 0 {
		return nil, errors.New("bundle has no base64 payload")
	}
	start := at + len(key)
	mid := start + bytes.IndexByte(js[start:], '"')/2
	return append(bytes.Clone(js[:mid]), js[mid+4:]...), nil
}

// packagedFaults adds the bundles of c that load wasm from npm packages: one
// whose installed copy has one byte changed, one that is not installed.
func packagedFaults(dir string, c contract.Contract, wasm []byte, bundles map[string][]byte) error {
	name := c.Action
	file := name + ".wasm"
	for _, kind := range []string{"tampered", "missingpkg"} {
		pkg := "@faults/" + kind + "-" + strings.ReplaceAll(name, "_", "-")
		b, err := bundle.RenderPackaged(c, wasm, bundle.Dependency{Name: pkg, Version: "0.0.0-fault"}, file)
		if err != nil {
			return err
		}
		bundles[kind+"_"+name+".js"] = b.JS
		if kind == "missingpkg" {
			continue
		}
		tampered := bytes.Clone(wasm)
		tampered[len(tampered)/2] ^= 0x01
		pkgDir := filepath.Join(dir, "node_modules", filepath.FromSlash(pkg))
		if err := os.MkdirAll(pkgDir, 0o755); err != nil {
			return err
		}
		pj := fmt.Sprintf(`{"name": %q, "version": "0.0.0-fault"}`+"\n", pkg)
		if err := errors.Join(os.WriteFile(filepath.Join(pkgDir, "package.json"), []byte(pj), 0o644),
			os.WriteFile(filepath.Join(pkgDir, file), tampered, 0o644)); err != nil {
			return err
		}
	}
	return nil
}
