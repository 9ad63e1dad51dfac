package deploycheck

import (
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// providerSource is the auth0 provider's registry address.
const providerSource = "auth0/auth0"

// checkOthers checks the terraform, provider and output blocks: the auth0
// provider is required from its registry address with a version constraint
// that admits v1.0.0 and no 2.x, and it is configured by the environment
// only (no credential is written down).
func (c *checker) checkOthers() {
	required := false
	for _, block := range c.others {
		switch block.Type {
		case "terraform":
			required = c.checkTerraform(block) || required
		case "provider":
			c.checkProvider(block)
		case "output":
			_, diags := block.Body.Content(outputSchema)
			c.diags = append(c.diags, diags...)
		}
	}
	if !required && len(c.resources) > 0 {
		c.errorAt(c.resources[0].DefRange, "auth0 provider not required",
			"no terraform block requires the provider %q with a version constraint", providerSource)
	}
}

// checkTerraform checks a terraform block and reports whether it requires
// the auth0 provider.
func (c *checker) checkTerraform(block *hcl.Block) bool {
	content, diags := block.Body.Content(terraformSchema)
	c.diags = append(c.diags, diags...)
	found := false
	for _, rp := range content.Blocks.OfType("required_providers") {
		attrs, diags := rp.Body.JustAttributes()
		c.diags = append(c.diags, diags...)
		for name, attr := range attrs {
			v, diags := attr.Expr.Value(nil)
			c.diags = append(c.diags, diags...)
			if diags.HasErrors() {
				continue
			}
			if name != "auth0" {
				c.errorAt(attr.NameRange, "Unexpected provider", "only the auth0 provider is expected here, not %q", name)
				continue
			}
			found = true
			c.checkRequirement(attr, v)
		}
	}
	return found
}

// checkRequirement checks the auth0 provider's requirement: its source and
// its version constraint.
func (c *checker) checkRequirement(attr *hcl.Attribute, v cty.Value) {
	if !v.Type().IsObjectType() || !v.Type().HasAttribute("source") || !v.Type().HasAttribute("version") {
		c.errorAt(attr.Expr.Range(), "Incomplete provider requirement", "want {source = %q, version = \">= 1.0.0, < 2.0.0\"}", providerSource)
		return
	}
	source, version := v.GetAttr("source"), v.GetAttr("version")
	if source.Type() != cty.String || source.IsNull() || source.AsString() != providerSource {
		c.errorAt(attr.Expr.Range(), "Wrong provider source", "want %q", providerSource)
	}
	if version.Type() != cty.String || version.IsNull() {
		c.errorAt(attr.Expr.Range(), "No provider version constraint", "want a constraint admitting 1.0.0 and later 1.x")
		return
	}
	constraint := version.AsString()
	for _, probe := range []struct {
		version string
		admit   bool
	}{{"1.0.0", true}, {"1.99.0", true}, {"2.0.0", false}, {"0.50.0", false}} {
		got, ok := admits(constraint, probe.version)
		if !ok {
			c.errorAt(attr.Expr.Range(), "Unreadable version constraint", "%q", constraint)
			return
		}
		if got != probe.admit {
			c.errorAt(attr.Expr.Range(), "Wrong provider version constraint",
				"%q admits %s: %t, want %t (v1.0.0 and later 1.x only)", constraint, probe.version, got, probe.admit)
		}
	}
}

// checkProvider checks that the auth0 provider block sets nothing: its
// credentials come from AUTH0_DOMAIN, AUTH0_API_TOKEN or AUTH0_CLIENT_ID and
// AUTH0_CLIENT_SECRET.
func (c *checker) checkProvider(block *hcl.Block) {
	if block.Labels[0] != "auth0" {
		c.errorAt(block.LabelRanges[0], "Unexpected provider", "only the auth0 provider is expected here, not %q", block.Labels[0])
		return
	}
	attrs, diags := block.Body.JustAttributes()
	c.diags = append(c.diags, diags...)
	for _, name := range sortedKeys(attrs) {
		c.errorAt(attrs[name].NameRange, "Provider setting in a file",
			"the auth0 provider takes %s from the environment (AUTH0_DOMAIN, AUTH0_API_TOKEN or AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET), never from a file", name)
	}
}

// admits reports whether a Terraform version constraint ("op version, ...")
// admits version, and false for ok when it cannot read the constraint.
func admits(constraint, version string) (admit, ok bool) {
	v, ok := semver(version)
	if !ok {
		return false, false
	}
	for _, part := range strings.Split(constraint, ",") {
		part = strings.TrimSpace(part)
		op := strings.TrimRight(part, "0123456789. ")
		w, ok := semver(strings.TrimSpace(strings.TrimPrefix(part, op)))
		if !ok {
			return false, false
		}
		cmp := compare(v, w)
		var pass bool
		switch strings.TrimSpace(op) {
		case "", "=":
			pass = cmp == 0
		case "!=":
			pass = cmp != 0
		case ">":
			pass = cmp > 0
		case ">=":
			pass = cmp >= 0
		case "<":
			pass = cmp < 0
		case "<=":
			pass = cmp <= 0
		case "~>":
			pass = cmp >= 0 && v[0] == w[0] && (w[2] < 0 || v[1] == w[1])
		default:
			return false, false
		}
		if !pass {
			return false, true
		}
	}
	return true, true
}

// semver reads "major[.minor[.patch]]"; a missing patch is -1 (for ~>).
func semver(s string) ([3]int, bool) {
	v := [3]int{0, 0, -1}
	parts := strings.Split(s, ".")
	if len(parts) > 3 {
		return v, false
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return v, false
		}
		v[i] = n
	}
	return v, true
}

// compare compares two versions; a missing patch counts as 0.
func compare(a, b [3]int) int {
	for i := range a {
		x, y := max(a[i], 0), max(b[i], 0)
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}
