package deploycheck

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/dynblock"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// sensitiveMark marks the values of sensitive variables, as Terraform's
// sensitive values are marked, so that a secret's value can be traced to
// one however the files pass it on.
const sensitiveMark = "sensitive"

// sensitiveValue is what a sensitive variable holds during the check: a
// set value unknown to the checker (as the deploy gives it through TF_VAR_),
// or with unset its default.
func sensitiveValue(name string, def cty.Value, unset bool) cty.Value {
	if unset {
		return def.Mark(sensitiveMark)
	}
	return cty.StringVal("(the value of var." + name + ")").Mark(sensitiveMark)
}

// nonsensitiveFunc is Terraform's nonsensitive: its argument unmarked.
var nonsensitiveFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType, AllowMarked: true, AllowNull: true, AllowUnknown: true}},
	Type:   func(args []cty.Value) (cty.Type, error) { return args[0].Type(), nil },
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v, _ := args[0].Unmark() // the marks are what it drops
		return v, nil
	},
})

// checkSecretValue checks that a secret's value comes from a sensitive
// variable, never from a value written in the files.
func (c *checker) checkSecretValue(attr *hcl.Attribute, secret string) {
	v, diags := attr.Expr.Value(c.scope.ctx())
	if diags.HasErrors() {
		return // reported where the secrets were decoded
	}
	if !v.HasMark(sensitiveMark) {
		c.errorAt(attr.Expr.Range(), "Secret value in the file", "the value of secret %s must come from a sensitive variable (var.<name> with sensitive = true)", secret)
	}
}

// checkUnsetSecrets checks that with every sensitive variable unset (its
// default, ""), no auth0_action sends a secret with an empty value: Auth0
// might store "" or keep the old value, and the actions read a missing
// secret as empty anyway. It evaluates the files a second time; what that
// evaluation finds wrong the first already reported, so its own
// diagnostics are not kept.
func (c *checker) checkUnsetSecrets(opts Options) {
	u := &checker{dir: c.dir, scope: newScope(c.dir), variables: c.variables, locals: c.locals,
		evaluated: map[*hcl.Attribute]evaluation{}, unset: true}
	u.evalVariables(opts)
	u.evalLocals()
	for _, block := range c.resources {
		if block.Labels[0] != "auth0_action" {
			continue
		}
		content, _, _ := dynblock.Expand(block.Body, u.scope.ctx()).PartialContent(&hcl.BodySchema{
			Blocks: []hcl.BlockHeaderSchema{{Type: "secrets"}},
		})
		for _, b := range content.Blocks {
			inner, _, _ := b.Body.PartialContent(&hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "name"}, {Name: "value"}}})
			attrs := inner.Attributes // through Content: JustAttributes would not bind the dynamic block's iterator
			name, nameOK := u.stringOf(attrs["name"])
			value, ok := u.typed(attrs["value"], cty.String)
			if !nameOK || !ok {
				continue
			}
			if plain, _ := value.Unmark(); plain.AsString() == "" {
				c.errorAt(b.DefRange, "Empty secret sent",
					"secret %s is sent with an empty value when its variable is unset; leave it out then (a dynamic block filtering on the value)", name)
			}
		}
	}
}
