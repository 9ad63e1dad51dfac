// Package deploycheck checks the Terraform files in deploy/ against the build
// they deploy, without Terraform: it parses every .tf file, evaluates the
// expressions that matter (variables' defaults, locals, the Terraform
// functions they call) against build/manifest.json, and checks that each
// built action is deployed exactly once with its own bundle, runtime,
// trigger, secrets and dependencies, that the bindings run every action once,
// on its trigger, in the manifest's order (other actions declared by id and
// name may run among them; Bindings returns each trigger's list, for
// actions verify), that only arguments and blocks of
// the auth0 provider's schema are used, and that every file is formatted.
// Each failure is an hcl.Diagnostic whose Subject names the file and line.
package deploycheck

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// Options adjust a check.
type Options struct {
	// BuildDir is the build folder to check against, absolute or relative to
	// the deploy folder; it is also the value of var.build_dir. Empty: the
	// variable's default, and ../build next to the deploy folder.
	BuildDir string
}

// checker holds a check's state: the files' top-level blocks, the values
// expressions can refer to, and the diagnostics so far.
type checker struct {
	dir       string
	build     *build
	scope     *scope
	variables []*hcl.Block
	locals    []*hcl.Block
	localExpr map[string]hcl.Expression // each local's expression, by name
	resources []*hcl.Block
	others    []*hcl.Block // terraform, provider, output
	evaluated map[*hcl.Attribute]evaluation
	bound     map[string][]Bound // each trigger's bindings (checkBindings)
	diags     hcl.Diagnostics
	unset     bool // sensitive variables hold their defaults (see sensitiveValue)
}

// Check checks the deploy files in dir (every *.tf) against the build they
// deploy. It returns the failures, sorted by file and line; none when the
// files pass.
func Check(dir string, opts Options) hcl.Diagnostics {
	_, diags := Bindings(dir, opts)
	return diags
}

// Bindings checks the deploy files as Check does and returns, with the
// failures, each trigger's bindings in the order the files bind them: the
// built actions and the other actions declared among them.
func Bindings(dir string, opts Options) (map[string][]Bound, hcl.Diagnostics) {
	c := &checker{dir: dir, scope: newScope(dir), evaluated: map[*hcl.Attribute]evaluation{}, bound: map[string][]Bound{}}
	buildDir := filepath.Join(dir, "..", "build")
	if opts.BuildDir != "" {
		buildDir = resolve(dir, opts.BuildDir)
	}
	c.parse()
	b, diags := readBuild(buildDir)
	c.diags = append(c.diags, diags...)
	c.evalVariables(opts)
	c.evalLocals()
	c.checkOthers()
	if b != nil {
		c.build = b
		actions := c.checkActions()
		c.checkBindings(actions)
		c.checkUnsetSecrets(opts)
	}
	sortDiags(c.diags)
	return c.bound, c.diags
}

// parse parses every .tf file of the folder, checks its formatting and sorts
// its top-level blocks.
func (c *checker) parse() {
	paths, err := filepath.Glob(filepath.Join(c.dir, "*.tf"))
	if err == nil && len(paths) == 0 {
		err = fmt.Errorf("no .tf files in %s", c.dir)
	}
	if err != nil {
		c.diags = append(c.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "No deploy files", Detail: err.Error()})
		return
	}
	parser := hclparse.NewParser()
	for _, path := range paths {
		src, err := os.ReadFile(path)
		if err != nil {
			c.diags = append(c.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unreadable file", Detail: err.Error()})
			continue
		}
		f, diags := parser.ParseHCL(src, path)
		c.diags = append(c.diags, diags...)
		if diags.HasErrors() {
			continue
		}
		c.checkFormat(path, src)
		content, diags := f.Body.Content(fileSchema)
		c.diags = append(c.diags, diags...)
		for _, block := range content.Blocks {
			switch block.Type {
			case "variable":
				c.variables = append(c.variables, block)
			case "locals":
				c.locals = append(c.locals, block)
			case "resource":
				c.resources = append(c.resources, block)
			default:
				c.others = append(c.others, block)
			}
		}
	}
}

// checkFormat reports the first line where src differs from its
// hclwrite.Format form (what terraform fmt writes).
func (c *checker) checkFormat(path string, src []byte) {
	formatted := hclwrite.Format(src)
	if bytes.Equal(formatted, src) {
		return
	}
	got, want := strings.Split(string(src), "\n"), strings.Split(string(formatted), "\n")
	line := 0
	for line < len(got) && line < len(want) && got[line] == want[line] {
		line++
	}
	wantLine := ""
	if line < len(want) {
		wantLine = want[line]
	}
	c.diags = append(c.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "File not formatted",
		Detail:  fmt.Sprintf("terraform fmt would write this line as %q", wantLine),
		Subject: &hcl.Range{Filename: path, Start: hcl.Pos{Line: line + 1, Column: 1}, End: hcl.Pos{Line: line + 1, Column: 1}}})
}

// errorAt records an error at rng.
func (c *checker) errorAt(rng hcl.Range, summary, detail string, args ...any) {
	c.diags = append(c.diags, &hcl.Diagnostic{Severity: hcl.DiagError,
		Summary: summary, Detail: fmt.Sprintf(detail, args...), Subject: rng.Ptr()})
}

// sortDiags sorts diagnostics by file and line; those without a place first.
func sortDiags(diags hcl.Diagnostics) {
	sort.SliceStable(diags, func(i, j int) bool {
		a, b := diags[i].Subject, diags[j].Subject
		switch {
		case a == nil || b == nil:
			return a == nil && b != nil
		case a.Filename != b.Filename:
			return a.Filename < b.Filename
		}
		return a.Start.Line < b.Start.Line
	})
}

// Format renders diagnostics one a line: "file:line: summary: detail".
func Format(diags hcl.Diagnostics) string {
	var sb strings.Builder
	for _, d := range diags {
		if d.Subject != nil {
			fmt.Fprintf(&sb, "%s:%d: ", d.Subject.Filename, d.Subject.Start.Line)
		}
		sb.WriteString(d.Summary)
		if d.Detail != "" {
			sb.WriteString(": " + d.Detail)
		}
		sb.WriteString("\n")
	}
	return sb.String()
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
