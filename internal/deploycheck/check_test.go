package deploycheck_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/internal/bundle"
	"github.com/floatme/auth0-wasm-actions/internal/deploycheck"
)

// root is the repository root.
var root = filepath.Join("..", "..")

// TestRealDeployPasses checks deploy/ against build/.
func TestRealDeployPasses(t *testing.T) {
	diags := deploycheck.Check(filepath.Join(root, "deploy"), deploycheck.Options{})
	assert.Empty(t, deploycheck.Format(diags), "deploy/ against build/ (run make wasm when build/ is missing or stale)")
}

// TestBuildDirOption checks deploy/ against build/ named by the option, as
// -var build_dir does.
func TestBuildDirOption(t *testing.T) {
	dir := copyTree(t)
	require.NoError(t, os.Rename(filepath.Join(dir, "build"), filepath.Join(dir, "elsewhere")))
	diags := deploycheck.Check(filepath.Join(dir, "deploy"), deploycheck.Options{BuildDir: "../elsewhere"})
	assert.Empty(t, deploycheck.Format(diags))
}

// place is where a failure must be reported: a file, the first line holding
// text after the text after (the file's first line when text is empty), and
// the diagnostic's summary.
type place struct {
	file, text, summary string
	after               string
}

// TestBrokenCopies breaks a copy of deploy/ and build/ one way each and
// wants exactly the failures listed, at their file and line.
func TestBrokenCopies(t *testing.T) {
	const tf = "deploy/auth0_actions.tf"
	tests := []struct {
		name   string
		break_ func(t *testing.T, dir string)
		want   []place
	}{
		{
			name:   "wrong code file",
			break_: replace(tf, `code    = file(local.bundles["mfa_action"])`, `code    = file(local.bundles["enable_mfa"])`),
			want:   []place{{tf, `code    = file(local.bundles["enable_mfa"])`, "Wrong code", ""}},
		},
		{
			name: "missing binding",
			break_: replace(tf, `  actions {
    id           = auth0_action.ip_metadata_action.id
    display_name = auth0_action.ip_metadata_action.name
  }
`, ""),
			want: []place{{tf, `resource "auth0_action" "ip_metadata_action"`, "Action not bound", ""}},
		},
		{
			name: "wrong order",
			break_: swap(tf, `    id           = auth0_action.mfa_action.id
    display_name = auth0_action.mfa_action.name`, `    id           = auth0_action.ip_metadata_action.id
    display_name = auth0_action.ip_metadata_action.name`),
			want: []place{{tf, `    id           = auth0_action.ip_metadata_action.id`, "Actions out of order", ""}},
		},
		{
			name:   "unknown attribute",
			break_: replace(tf, "  deploy  = true\n\n  supported_triggers {\n    id      = \"post-login\"\n    version = \"v3\"\n  }\n\n  # A secret", "  deploy  = true\n  timeout = 30\n\n  supported_triggers {\n    id      = \"post-login\"\n    version = \"v3\"\n  }\n\n  # A secret"),
			want:   []place{{tf, "timeout = 30", "Unsupported argument", ""}},
		},
		{
			name:   "missing secret",
			break_: replace(tf, "    FORCE_MFA_EMAIL_DOMAIN        = var.force_mfa_email_domain\n", ""),
			want:   []place{{tf, `resource "auth0_action" "mfa_action"`, "Missing secret", ""}},
		},
		{
			name:   "secret value written in the file",
			break_: replace(tf, `FORCE_MFA_EMAIL_DOMAIN        = var.force_mfa_email_domain`, `FORCE_MFA_EMAIL_DOMAIN        = "forcemfa.example"`),
			want:   []place{{tf, `value = local.mfa_secrets[secrets.key]`, "Secret value in the file", ""}},
		},
		{
			name:   "an unset secret sent empty",
			break_: replace(tf, `for_each = toset([for name, value in local.mfa_secrets : name if nonsensitive(value != "")])`, `for_each = toset(keys(local.mfa_secrets))`),
			want: []place{
				{tf, `dynamic "secrets" {`, "Empty secret sent", ""},
				{tf, `dynamic "secrets" {`, "Empty secret sent", ""},
				{tf, `dynamic "secrets" {`, "Empty secret sent", ""},
			},
		},
		{
			name:   "credentials in the provider block",
			break_: replace("deploy/versions.tf", `provider "auth0" {}`, "provider \"auth0\" {\n  domain = \"example.auth0.com\"\n}"),
			want:   []place{{"deploy/versions.tf", `domain = "example.auth0.com"`, "Provider setting in a file", ""}},
		},
		{
			name:   "provider version constraint admitting 2.x",
			break_: replace("deploy/versions.tf", `">= 1.0.0, < 2.0.0"`, `">= 1.0.0"`),
			want:   []place{{"deploy/versions.tf", `auth0 = {`, "Wrong provider version constraint", ""}},
		},
		{
			name:   "runtime the build is not for",
			break_: replace("deploy/variables.tf", `default     = "node18"`, `default     = "node16"`),
			want: append([]place{
				{"deploy/variables.tf", `condition     = contains(["node18", "node22"], var.runtime)`, "Variable validation failed", ""},
			}, perAction(t, "", func(r string) place { return place{tf, `runtime = var.runtime`, "Wrong runtime", `"` + r + `" {`} })...),
		},
		{
			name:   "action on another trigger",
			break_: replace(tf, `    id           = auth0_action.set_mfa_action.id`, `    id           = auth0_action.mfa_action.id`),
			want: []place{
				{tf, `    id           = auth0_action.mfa_action.id`, "Action on the wrong trigger", `resource "auth0_trigger_actions" "pre_user_registration"`},
				{tf, `display_name = auth0_action.set_mfa_action.name`, "Wrong display name", ""},
				{tf, `resource "auth0_action" "set_mfa_action"`, "Action not bound", ""},
			},
		},
		{
			name:   "supported trigger without a version",
			break_: replaceAfter(tf, `"set_mfa_action" {`, "  supported_triggers {\n    id      = \"pre-user-registration\"\n    version = \"v2\"\n  }", "  supported_triggers {\n    id = \"pre-user-registration\"\n  }"),
			want:   []place{{tf, `supported_triggers {`, "Missing required argument", `"set_mfa_action" {`}},
		},
		{
			name:   "binding without a display name",
			break_: replace(tf, "  actions {\n    id           = auth0_action.set_mfa_action.id\n    display_name = auth0_action.set_mfa_action.name\n  }", "  actions {\n    id = auth0_action.set_mfa_action.id\n  }"),
			want:   []place{{tf, `  actions {`, "Missing required argument", `"pre_user_registration" {`}},
		},
		{
			name:   "trigger not a string",
			break_: replace(tf, `trigger = "pre-user-registration"`, `trigger = 7`),
			want: append([]place{{tf, `trigger = 7`, "Not a string", ""}},
				perAction(t, "pre-user-registration", func(r string) place {
					return place{tf, `resource "auth0_action" "` + r + `"`, "Action not bound", ""}
				})...),
		},
		{
			name:   "resource type outside the schema",
			break_: appendTo(tf, "\nresource \"auth0_trigger_action\" \"extra\" {\n  trigger   = \"post-login\"\n  action_id = auth0_action.mfa_action.id\n}\n"),
			want:   []place{{tf, `resource "auth0_trigger_action" "extra"`, "Unsupported resource type", ""}},
		},
		{
			name:   "unformatted file",
			break_: replace("deploy/variables.tf", `  default     = "node18"`, `  default = "node18"`),
			want:   []place{{"deploy/variables.tf", `  default = "node18"`, "File not formatted", ""}},
		},
		{
			name: "resource misnamed",
			break_: edit(tf, func(_ *testing.T, s string) string {
				return strings.ReplaceAll(s, "set_mfa_action", "enable_mfa_action")
			}),
			want: []place{{tf, `resource "auth0_action" "enable_mfa_action"`, "Resource misnamed", ""}},
		},
		{
			name:   "manifest naming an unknown action",
			break_: addAction("extra_action"),
			want: []place{
				{"build/manifest.json", `"name": "extra_action"`, "Action not deployed", ""},
				{"build/manifest.json", `"name": "extra_action"`, "Action not bound", ""},
			},
		},
		{
			name:   "missing manifest",
			break_: remove("build/manifest.json"),
			want: []place{
				{"", "", "No build manifest", ""},
				{tf, `manifest  = jsondecode(file(`, "Invalid function argument", ""},
			},
		},
		{
			name:   "bundle over the budget",
			break_: appendTo("build/mfa_action.js", "//"+strings.Repeat("x", bundle.BudgetBytes)+"\n"),
			want: []place{
				{"build/manifest.json", `"bundle": "mfa_action.js"`, "Bundle over budget", ""},
				{"build/manifest.json", `"sha256"`, "Stale build manifest", `"bundle": "mfa_action.js"`},
				{tf, `condition     = filesha256(local.bundles["mfa_action"])`, "Resource precondition failed", ""},
			},
		},
		{
			name:   "stale manifest",
			break_: appendTo("build/add_ip_to_metadata.js", "\n"),
			want: []place{
				{"build/manifest.json", `"sha256"`, "Stale build manifest", `"bundle": "add_ip_to_metadata.js"`},
				{tf, `condition     = filesha256(local.bundles["add_ip_to_metadata"])`, "Resource precondition failed", ""},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyTree(t)
			tt.break_(t, dir)
			diags := deploycheck.Check(filepath.Join(dir, "deploy"), deploycheck.Options{})
			var want []string
			for _, p := range tt.want {
				want = append(want, p.at(t, dir))
			}
			assert.ElementsMatch(t, want, places(dir, diags), "got:\n%s", deploycheck.Format(diags))
		})
	}
}

// at renders p as places renders a diagnostic: "file:line: summary".
func (p place) at(t *testing.T, dir string) string {
	if p.file == "" {
		return p.summary
	}
	return fmt.Sprintf("%s:%d: %s", p.file, lineOf(t, filepath.Join(dir, p.file), p.text, p.after), p.summary)
}

// places renders each diagnostic as "file:line: summary", the file relative
// to dir.
func places(dir string, diags hcl.Diagnostics) []string {
	var out []string
	for _, d := range diags {
		if d.Subject == nil {
			out = append(out, d.Summary)
			continue
		}
		rel, err := filepath.Rel(dir, d.Subject.Filename)
		if err != nil {
			rel = d.Subject.Filename
		}
		out = append(out, fmt.Sprintf("%s:%d: %s", filepath.ToSlash(rel), d.Subject.Start.Line, d.Summary))
	}
	return out
}

// lineOf returns the line of file that first holds text after the first
// occurrence of after; 1 for empty text.
func lineOf(t *testing.T, file, text, after string) int {
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	if text == "" {
		return 1
	}
	s := string(data)
	from := strings.Index(s, after)
	require.GreaterOrEqual(t, from, 0, "%s holds no %q", file, after)
	i := strings.Index(s[from:], text)
	require.GreaterOrEqual(t, i, 0, "%s holds no %q after %q", file, text, after)
	return 1 + strings.Count(s[:from+i], "\n")
}

// copyTree copies deploy/*.tf, build/manifest.json and build/*.js into a
// temporary folder, in the same layout, and returns it.
func copyTree(t *testing.T) string {
	dir := t.TempDir()
	for _, pattern := range []string{"deploy/*.tf", "build/manifest.json", "build/*.js"} {
		paths, err := filepath.Glob(filepath.Join(root, pattern))
		require.NoError(t, err)
		require.NotEmpty(t, paths, "%s: nothing to copy (run make wasm)", pattern)
		for _, p := range paths {
			rel, err := filepath.Rel(root, p)
			require.NoError(t, err)
			data, err := os.ReadFile(p)
			require.NoError(t, err)
			require.NoError(t, os.MkdirAll(filepath.Join(dir, filepath.Dir(rel)), 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(dir, rel), data, 0o644))
		}
	}
	return dir
}

// edit returns a break that rewrites one file of the copy.
func edit(file string, change func(t *testing.T, s string) string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		path := filepath.Join(dir, file)
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(path, []byte(change(t, string(data))), 0o644))
	}
}

// replace replaces the one occurrence of old in file.
func replace(file, old, new string) func(*testing.T, string) {
	return edit(file, func(t *testing.T, s string) string {
		require.Equal(t, 1, strings.Count(s, old), "%s must hold %q once", file, old)
		return strings.Replace(s, old, new, 1)
	})
}

// replaceAfter replaces the first occurrence of old after the first of
// after in file.
func replaceAfter(file, after, old, new string) func(*testing.T, string) {
	return edit(file, func(t *testing.T, s string) string {
		from := strings.Index(s, after)
		require.GreaterOrEqual(t, from, 0, "%s holds no %q", file, after)
		require.Contains(t, s[from:], old, "%s holds no %q after %q", file, old, after)
		return s[:from] + strings.Replace(s[from:], old, new, 1)
	})
}

// perAction returns at(r) for the auth0_action resource r of each action
// of the build on trigger (of every action when trigger is empty).
func perAction(t *testing.T, trigger string, at func(r string) place) []place {
	m, err := bundle.ReadManifest(filepath.Join(root, "build"))
	require.NoError(t, err, "run make wasm")
	var out []place
	for _, a := range m.Actions {
		if trigger == "" || a.Trigger.ID == trigger {
			out = append(out, at(deploycheck.ResourceName(a.Name)))
		}
	}
	return out
}

// swap exchanges the one occurrences of a and b in file.
func swap(file, a, b string) func(*testing.T, string) {
	return edit(file, func(t *testing.T, s string) string {
		require.Equal(t, 1, strings.Count(s, a), "%s must hold %q once", file, a)
		require.Equal(t, 1, strings.Count(s, b), "%s must hold %q once", file, b)
		return strings.NewReplacer(a, b, b, a).Replace(s)
	})
}

// appendTo appends text to file.
func appendTo(file, text string) func(*testing.T, string) {
	return edit(file, func(_ *testing.T, s string) string { return s + text })
}

// remove deletes file.
func remove(file string) func(*testing.T, string) {
	return func(t *testing.T, dir string) { require.NoError(t, os.Remove(filepath.Join(dir, file))) }
}

// addAction adds an action called name to the manifest, a copy of its first
// action under another name.
func addAction(name string) func(*testing.T, string) {
	return edit("build/manifest.json", func(t *testing.T, s string) string {
		const first = "  \"actions\": [\n    {\n      \"name\": \"mfa_action\","
		require.Contains(t, s, first)
		start := strings.Index(s, first) + len("  \"actions\": [\n")
		end := start + strings.Index(s[start:], "\n    }") + len("\n    }")
		extra := strings.Replace(s[start:end], `"name": "mfa_action"`, `"name": "`+name+`"`, 1)
		return s[:end] + ",\n" + extra + s[end:]
	})
}
