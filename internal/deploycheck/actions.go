package deploycheck

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/floatme/auth0-wasm-actions/internal/bundle"
)

// legacyResourceNames are the auth0_action resource names the JavaScript
// actions these replace were deployed under (the design note of the service
// they come from: "Terraform Resources", auth0_action.ip_metadata_action and
// auth0_action.set_mfa_action): a tenant's Terraform state holds them, and
// renaming a resource would destroy and recreate its action.
var legacyResourceNames = map[string]string{
	"add_ip_to_metadata": "ip_metadata_action",
	"enable_mfa":         "set_mfa_action",
}

// ResourceName returns the name of the auth0_action resource deploy/ must
// declare for the action called action: its legacy name, otherwise its own
// name.
func ResourceName(action string) string {
	if name, ok := legacyResourceNames[action]; ok {
		return name
	}
	return action
}

// deployed is an auth0_action resource that deploys a built action.
type deployed struct {
	label  string // the resource's name
	block  *hcl.Block
	action bundle.ManifestAction
}

// checkActions checks every auth0_action resource against the build and
// returns those that deploy a built action, by resource name.
func (c *checker) checkActions() map[string]deployed {
	byLabel := map[string]deployed{}
	byAction := map[string]deployed{}
	for _, block := range c.resources {
		if block.Labels[0] != "auth0_action" {
			continue
		}
		r, ok := c.decodeResource(block)
		if !ok {
			continue
		}
		label := block.Labels[1]
		name, ok := c.stringOf(r.attrs["name"])
		if !ok {
			continue
		}
		a, ok := c.build.manifest.Action(name)
		if !ok {
			c.errorAt(r.attrs["name"].Expr.Range(), "Action not in the build", "the build has no action %q (actions: %s)", name, c.actionNames())
			continue
		}
		if prev, dup := byAction[name]; dup {
			c.errorAt(block.DefRange, "Action deployed twice", "%s is also deployed by auth0_action.%s at %s", name, prev.label, prev.block.DefRange)
			continue
		}
		if want := ResourceName(name); label != want {
			c.errorAt(block.LabelRanges[1], "Resource misnamed", "the resource deploying %s must be auth0_action.%s, not %s", name, want, label)
		}
		d := deployed{label: label, block: block, action: a}
		byAction[name], byLabel[label] = d, d
		c.scope.actions[label] = cty.ObjectVal(map[string]cty.Value{
			"id": cty.StringVal("auth0_action." + label + ".id"), "name": cty.StringVal(name),
		})
		c.checkAction(r, a)
	}
	for _, a := range c.build.manifest.Actions {
		if _, ok := byAction[a.Name]; !ok {
			c.errorAt(*c.build.nameRange(a.Name), "Action not deployed",
				"the build has action %s, which no auth0_action resource deploys (want resource \"auth0_action\" %q with name = %q)", a.Name, ResourceName(a.Name), a.Name)
		}
	}
	return byLabel
}

// checkAction checks that an auth0_action resource deploys action a as
// built: its bundle's bytes, runtime, deploy, trigger, secrets and
// dependencies.
func (c *checker) checkAction(r resource, a bundle.ManifestAction) {
	if code, ok := c.stringOf(r.attrs["code"]); ok {
		c.checkCode(r.attrs["code"], code, a)
	}
	if attr, ok := r.attrs["runtime"]; !ok {
		c.errorAt(r.block.DefRange, "No runtime", "%s needs runtime = var.runtime (%q)", a.Name, a.Runtime)
	} else if got, ok := c.stringOf(attr); ok && got != a.Runtime {
		c.errorAt(attr.Expr.Range(), "Wrong runtime", "runtime is %q; %s is built for %q", got, a.Name, a.Runtime)
	}
	if attr, ok := r.attrs["deploy"]; !ok {
		c.errorAt(r.block.DefRange, "Not deployed", "%s needs deploy = true, or applying leaves the bound version unchanged", a.Name)
	} else if got, ok := c.boolOf(attr); ok && !got {
		c.errorAt(attr.Expr.Range(), "Not deployed", "deploy is false; %s needs deploy = true", a.Name)
	}
	for _, t := range r.blocks["supported_triggers"] {
		id, idOK := c.stringOf(t.attrs["id"])
		version, versionOK := c.stringOf(t.attrs["version"])
		if idOK && versionOK && (id != a.Trigger.ID || version != a.Trigger.Version) {
			c.errorAt(t.rng, "Wrong trigger", "supported trigger %s %s; %s is built for %s %s", id, version, a.Name, a.Trigger.ID, a.Trigger.Version)
		}
	}
	c.checkSecrets(r, a)
	c.checkDependencies(r, a)
}

// checkCode checks that code is the bytes of a's bundle, and names the
// bundle it is when it is another one.
func (c *checker) checkCode(attr *hcl.Attribute, code string, a bundle.ManifestAction) {
	sum := sha256.Sum256([]byte(code))
	got := hex.EncodeToString(sum[:])
	if got == c.build.sums[a.Name] {
		return
	}
	what := "no bundle of the build"
	for _, other := range c.build.manifest.Actions {
		if c.build.sums[other.Name] == got {
			what = other.Bundle
		}
	}
	c.errorAt(attr.Expr.Range(), "Wrong code", "code is %s (sha256 %s), want %s (sha256 %s)", what, got, a.Bundle, c.build.sums[a.Name])
}

// checkSecrets checks that the resource declares exactly the secrets a's
// contract reads, each once, each from a sensitive variable.
func (c *checker) checkSecrets(r resource, a bundle.ManifestAction) {
	var got []string
	for _, s := range r.blocks["secrets"] {
		name, ok := c.stringOf(s.attrs["name"])
		if !ok {
			continue
		}
		if slices.Contains(got, name) {
			c.errorAt(s.rng, "Secret declared twice", "%s declares secret %s twice", a.Name, name)
			continue
		}
		got = append(got, name)
		if !slices.Contains(a.Secrets, name) {
			c.errorAt(s.rng, "Secret not read", "%s's contract reads no secret %s (it reads %s)", a.Name, name, listOrNone(a.Secrets))
		}
		if value, ok := s.attrs["value"]; ok {
			c.checkSecretValue(value, name)
		}
	}
	for _, name := range a.Secrets {
		if !slices.Contains(got, name) {
			c.errorAt(r.block.DefRange, "Missing secret",
				"%s's contract reads secret %s; declare it with a secrets block whose value is a sensitive variable", a.Name, name)
		}
	}
}

// checkDependencies checks that the resource's dependencies are a's, as a
// set (the provider keeps them as one).
func (c *checker) checkDependencies(r resource, a bundle.ManifestAction) {
	want := map[string]bool{}
	for _, d := range a.Dependencies {
		want[d.Name+"@"+d.Version] = true
	}
	got := map[string]bool{}
	for _, d := range r.blocks["dependencies"] {
		name, nameOK := c.stringOf(d.attrs["name"])
		version, versionOK := c.stringOf(d.attrs["version"])
		if !nameOK || !versionOK {
			continue
		}
		got[name+"@"+version] = true
		if !want[name+"@"+version] {
			c.errorAt(d.rng, "Dependency not in the build", "%s@%s is not among %s's dependencies (%s)", name, version, a.Name, listOrNone(sortedKeys(want)))
		}
	}
	for _, dep := range sortedKeys(want) {
		if !got[dep] {
			c.errorAt(r.block.DefRange, "Missing dependency", "%s depends on %s; take dependencies from the manifest", a.Name, dep)
		}
	}
}

// actionNames lists the build's actions.
func (c *checker) actionNames() string {
	var names []string
	for _, a := range c.build.manifest.Actions {
		names = append(names, a.Name)
	}
	return listOrNone(names)
}

// listOrNone joins names, or says none.
func listOrNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// String describes a deployed action, for messages.
func (d deployed) String() string { return fmt.Sprintf("auth0_action.%s (%s)", d.label, d.action.Name) }
