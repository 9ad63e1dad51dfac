// Command faultbundles writes the bundles the Node fault tests load, into
// the folder given as its argument (make writes build/faults):
//
//	faulty_<action>.js     the faulty guest under each action's contract
//	truncated_<action>.js  each action with half a module
//	notwasm_<action>.js    each action with bytes that are not a module
//	badgzip_<action>.js    each action with a corrupted compressed payload
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/floatme/auth0-wasm-actions/actions"
	"github.com/floatme/auth0-wasm-actions/internal/bundle"
	"github.com/floatme/auth0-wasm-actions/internal/testguest"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: faultbundles DIR")
		os.Exit(2)
	}
	if err := write(context.Background(), os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "faultbundles:", err)
		os.Exit(1)
	}
}

func write(ctx context.Context, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	faulty, err := testguest.Build(ctx, dir, "faulty")
	if err != nil {
		return err
	}
	if err := bundle.CheckModule(ctx, faulty); err != nil {
		return fmt.Errorf("faulty guest: %w", err)
	}
	bundles := map[string][]byte{}
	for _, a := range actions.All {
		name := a.Contract.Action
		for prefix, wasm := range map[string][]byte{
			"faulty_":    faulty,
			"truncated_": faulty[:len(faulty)/2],
			"notwasm_":   []byte("not a wasm module"),
		} {
			b, err := bundle.Render(a.Contract, wasm)
			if err != nil {
				return err
			}
			bundles[prefix+name+".js"] = b.JS
		}
		bad, err := corruptPayload(bundles["faulty_"+name+".js"])
		if err != nil {
			return err
		}
		bundles["badgzip_"+name+".js"] = bad
	}
	for name, js := range bundles {
		if err := os.WriteFile(filepath.Join(dir, name), js, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// corruptPayload changes one base64 character in the middle of the
// compressed module, which gunzip's checksum must catch.
func corruptPayload(js []byte) ([]byte, error) {
	key := []byte(`"gzipBase64":"`)
	at := bytes.Index(js, key)
	if at < 0 {
		return nil, errors.New("bundle has no gzipBase64 payload")
	}
	end := at + len(key) + bytes.IndexByte(js[at+len(key):], '"')
	mid := (at + len(key) + end) / 2
	out := bytes.Clone(js)
	if out[mid] == 'A' {
		out[mid] = 'B'
	} else {
		out[mid] = 'A'
	}
	return out, nil
}
