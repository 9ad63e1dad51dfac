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

// Render returns a bundle: header, then shim.js less its comment lines,
// with configJSON, a JSON object, in place of its placeholder.
func Render(header string, configJSON []byte) ([]byte, error) {
	if n := bytes.Count(Source, []byte(placeholder)); n != 1 {
		return nil, errors.New("shim/shim.js: want exactly one " + placeholder)
	}
	code := bytes.Replace(withoutCommentLines(Source), []byte(placeholder), configJSON, 1)
	return append([]byte(header), code...), nil
}

// withoutCommentLines returns src less every line that holds only a //
// comment: a third of shim.js, which a bundle need not carry within Auth0's
// budget (the bundle's header names shim/shim.js, where they are). shim.js
// has no multi-line string or template literal, in which such a line would
// be text (TestNoMultilineLiterals).
func withoutCommentLines(src []byte) []byte {
	var out []byte
	for line := range bytes.Lines(src) {
		if !bytes.HasPrefix(bytes.TrimLeft(line, " \t"), []byte("//")) {
			out = append(out, line...)
		}
	}
	return out
}
