package deploycheck

import (
	"slices"
	"strconv"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/dynblock"
	"github.com/zclconf/go-cty/cty"
)

// resource is a resource block decoded against its schema, its dynamic
// blocks expanded.
type resource struct {
	block  *hcl.Block
	attrs  hcl.Attributes
	blocks map[string][]nested
}

// nested is one nested block: where it is and its arguments.
type nested struct {
	rng   hcl.Range
	attrs hcl.Attributes
}

// decodeResource decodes a resource block against its type's schema (and
// the meta-arguments), reporting every argument or block the schema lacks,
// missing required ones, block counts out of the schema's bounds, and values
// the provider would refuse. It returns false when the type is not one the
// deploy files may use.
func (c *checker) decodeResource(block *hcl.Block) (resource, bool) {
	spec, ok := schemas[block.Labels[0]]
	if !ok {
		c.errorAt(block.LabelRanges[0], "Unsupported resource type",
			"%q is not one of the auth0 provider resources these files may use (%v)", block.Labels[0], sortedKeys(schemas))
		return resource{}, false
	}
	body := dynblock.Expand(block.Body, c.scope.ctx())
	content, diags := body.Content(bodySchema(spec.attrs, spec.blocks, metaAttrs, metaBlocks))
	c.diags = append(c.diags, diags...)
	r := resource{block: block, attrs: content.Attributes, blocks: map[string][]nested{}}
	c.checkValues(spec.attrs, r.attrs)
	for _, b := range content.Blocks {
		if b.Type == "lifecycle" {
			c.checkLifecycle(b)
			continue
		}
		bs := spec.blocks[b.Type]
		inner, diags := b.Body.Content(bodySchema(bs.attrs, nil, nil, nil))
		c.diags = append(c.diags, diags...)
		c.checkValues(bs.attrs, inner.Attributes)
		r.blocks[b.Type] = append(r.blocks[b.Type], nested{rng: b.DefRange, attrs: inner.Attributes})
	}
	for _, name := range sortedKeys(spec.blocks) {
		bs, n := spec.blocks[name], len(r.blocks[name])
		if n < bs.min || (bs.max > 0 && n > bs.max) {
			c.errorAt(block.DefRange, "Wrong number of blocks",
				"%d %s blocks; the provider wants at least %d and at most %s", n, name, bs.min, maxText(bs.max))
		}
	}
	return r, true
}

// maxText is a block count's upper bound in words.
func maxText(n int) string {
	if n == 0 {
		return "any number"
	}
	return strconv.Itoa(n)
}

// checkValues reports arguments whose values the provider's schema refuses.
func (c *checker) checkValues(specs map[string]attrSpec, attrs hcl.Attributes) {
	for _, name := range sortedKeys(attrs) {
		spec, ok := specs[name]
		if !ok || len(spec.values) == 0 {
			continue
		}
		if s, ok := c.stringOf(attrs[name]); ok && !slices.Contains(spec.values, s) {
			c.errorAt(attrs[name].Expr.Range(), "Value not in the provider's schema", "%s = %q; the provider accepts %v", name, s, spec.values)
		}
	}
}

// checkLifecycle checks a lifecycle block and its conditions.
func (c *checker) checkLifecycle(b *hcl.Block) {
	content, diags := b.Body.Content(lifecycleSchema)
	c.diags = append(c.diags, diags...)
	for _, cond := range content.Blocks {
		if cond.Type == "precondition" {
			c.checkCondition(cond.Body, "Resource precondition failed")
		}
	}
}

// evaluation is an argument's value as first evaluated, and whether it is a
// known value of the type wanted.
type evaluation struct {
	v  cty.Value
	ok bool
}

// typed evaluates an argument that must be of type want, once: a second look
// (its schema's values, then the build) gets the first result, and its
// problems are reported once. ok is false when it is missing (reported by
// the schema), has errors (reported), is unknown or null, or is another type
// (reported).
func (c *checker) typed(attr *hcl.Attribute, want cty.Type) (cty.Value, bool) {
	if attr == nil {
		return cty.NilVal, false
	}
	if e, done := c.evaluated[attr]; done {
		return e.v, e.ok
	}
	v, diags := attr.Expr.Value(c.scope.ctx())
	c.diags = append(c.diags, diags...)
	ok := !diags.HasErrors() && v.IsWhollyKnown() && !v.IsNull()
	if ok && v.Type() != want {
		c.errorAt(attr.Expr.Range(), "Not a "+want.FriendlyName(), "%s is %s, want a %s", attr.Name, v.Type().FriendlyName(), want.FriendlyName())
		ok = false
	}
	c.evaluated[attr] = evaluation{v: v, ok: ok}
	return v, ok
}

// stringOf evaluates a string argument (see typed).
func (c *checker) stringOf(attr *hcl.Attribute) (string, bool) {
	v, ok := c.typed(attr, cty.String)
	if !ok {
		return "", false
	}
	return v.AsString(), true
}

// boolOf evaluates a bool argument (see typed).
func (c *checker) boolOf(attr *hcl.Attribute) (bool, bool) {
	v, ok := c.typed(attr, cty.Bool)
	if !ok {
		return false, false
	}
	return v.True(), true
}
