// Package shim holds shim.js, the JavaScript that runs an action's module
// inside Auth0, and renders it into an action's bundle.
package shim

import (
	"bytes"
	_ "embed"
	"errors"
	"regexp"
	"slices"
)

// Source is shim.js as committed.
//
//go:embed shim.js
var Source []byte

// placeholder stands in shim.js for the bundle's configuration.
const placeholder = "__BUNDLE__"

var (
	importsBlock = regexp.MustCompile(`(?s)// wasi-imports:begin\n(.*?)// wasi-imports:end`)
	importName   = regexp.MustCompile(`(?m)^    ([a-z_]+)\(`)
)

// Imports returns, sorted, the WASI preview1 functions shim.js provides: the
// methods between its wasi-imports markers.
func Imports() ([]string, error) {
	block := importsBlock.FindSubmatch(Source)
	if block == nil {
		return nil, errors.New("shim/shim.js: no wasi-imports:begin/end markers")
	}
	var names []string
	for _, m := range importName.FindAllSubmatch(block[1], -1) {
		names = append(names, string(m[1]))
	}
	if len(names) == 0 {
		return nil, errors.New("shim/shim.js: no functions between the wasi-imports markers")
	}
	slices.Sort(names)
	return names, nil
}

// Render returns a bundle: header, then shim.js with configJSON, a JSON
// object, in place of its placeholder.
func Render(header string, configJSON []byte) ([]byte, error) {
	if n := bytes.Count(Source, []byte(placeholder)); n != 1 {
		return nil, errors.New("shim/shim.js: want exactly one " + placeholder)
	}
	out := append([]byte(header), bytes.Replace(Source, []byte(placeholder), configJSON, 1)...)
	return out, nil
}
