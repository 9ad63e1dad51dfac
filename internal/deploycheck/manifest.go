package deploycheck

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/hashicorp/hcl/v2"

	"github.com/floatme/auth0-wasm-actions/internal/bundle"
)

// build is the build folder the deploy files must deploy: its manifest and
// the SHA-256 of each action's bundle as it is on disk.
type build struct {
	dir      string
	path     string // of manifest.json
	data     []byte // manifest.json's bytes, for diagnostic ranges
	manifest bundle.Manifest
	sums     map[string]string // action name → hex SHA-256 of its bundle file
}

// readBuild reads dir's manifest and hashes every bundle it names. A bundle
// whose bytes do not match the manifest is reported at its manifest entry.
func readBuild(dir string) (*build, hcl.Diagnostics) {
	b := &build{dir: dir, path: filepath.Join(dir, bundle.ManifestFile), sums: map[string]string{}}
	data, err := os.ReadFile(b.path)
	if err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError,
			Summary: "No build manifest", Detail: err.Error() + " (run make wasm)"}}
	}
	b.data = data
	if err := json.Unmarshal(data, &b.manifest); err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Unreadable build manifest",
			Detail: err.Error() + " (run make wasm)", Subject: b.rangeOf("")}}
	}
	var diags hcl.Diagnostics
	for _, a := range b.manifest.Actions {
		bundleBytes, err := os.ReadFile(filepath.Join(dir, a.Bundle))
		if err != nil {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Missing bundle",
				Detail: err.Error() + " (run make wasm)", Subject: b.rangeOf(`"bundle": "` + a.Bundle + `"`)})
			continue
		}
		if len(bundleBytes) > b.manifest.BudgetBytes {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Bundle over budget",
				Detail: fmt.Sprintf("%s is %d bytes, over Auth0's %d-byte budget for an Action's code "+
					"(make wasm refuses to build one: rebuild, or see README.md, \"Two compilers, two ways to deliver a module\")", a.Bundle, len(bundleBytes), b.manifest.BudgetBytes),
				Subject: b.rangeOf(`"bundle": "` + a.Bundle + `"`)})
		}
		sum := sha256.Sum256(bundleBytes)
		b.sums[a.Name] = hex.EncodeToString(sum[:])
		if b.sums[a.Name] != a.SHA256 {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Stale build manifest",
				Detail:  a.Bundle + " has sha256 " + b.sums[a.Name] + ", the manifest says " + a.SHA256 + " (run make wasm)",
				Subject: b.rangeOf(`"sha256": "` + a.SHA256 + `"`)})
		}
	}
	return b, diags
}

// nameRange is the range of action name's entry in the manifest.
func (b *build) nameRange(name string) *hcl.Range {
	return b.rangeOf(`"name": "` + name + `"`)
}

// rangeOf returns the range of the manifest's first line holding text, or its
// first line when none does.
func (b *build) rangeOf(text string) *hcl.Range {
	line, start := 1, 0
	if i := bytes.Index(b.data, []byte(text)); i >= 0 && text != "" {
		line = 1 + bytes.Count(b.data[:i], []byte("\n"))
		start = bytes.LastIndexByte(b.data[:i], '\n') + 1
	}
	end := bytes.IndexByte(b.data[start:], '\n')
	if end < 0 {
		end = len(b.data) - start
	}
	return &hcl.Range{Filename: b.path,
		Start: hcl.Pos{Line: line, Column: 1, Byte: start},
		End:   hcl.Pos{Line: line, Column: 1 + end, Byte: start + end}}
}
