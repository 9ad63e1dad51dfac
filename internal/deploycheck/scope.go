package deploycheck

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// scope is what the deploy files' expressions can refer to: path.module,
// var.*, local.*, auth0_action.* (as bindings see it), data.* (unknown)
// and the functions.
type scope struct {
	vars      map[string]cty.Value
	sensitive map[string]bool
	locals    map[string]cty.Value
	actions   map[string]cty.Value
	funcs     map[string]function.Function
}

// newScope returns an empty scope whose file functions resolve against dir.
func newScope(dir string) *scope {
	return &scope{vars: map[string]cty.Value{}, sensitive: map[string]bool{},
		locals: map[string]cty.Value{}, actions: map[string]cty.Value{}, funcs: functions(dir)}
}

// ctx returns an evaluation context over the scope as it is now. Terraform
// runs in the deploy folder, so path.module is ".".
func (s *scope) ctx() *hcl.EvalContext {
	here := cty.StringVal(".")
	return &hcl.EvalContext{
		Variables: map[string]cty.Value{
			"path":         cty.ObjectVal(map[string]cty.Value{"module": here, "root": here, "cwd": here}),
			"var":          cty.ObjectVal(s.vars),
			"local":        cty.ObjectVal(s.locals),
			"auth0_action": cty.ObjectVal(s.actions),
			"data":         cty.DynamicVal, // read from the tenant at plan: unknown here
		},
		Functions: s.funcs,
	}
}

// evalVariables takes each variable's default (or the build folder of
// opts), then checks the variables' validation conditions.
func (c *checker) evalVariables(opts Options) {
	var validations []*hcl.Block
	for _, block := range c.variables {
		name := block.Labels[0]
		content, diags := block.Body.Content(variableSchema)
		c.diags = append(c.diags, diags...)
		c.scope.vars[name] = cty.DynamicVal
		if attr, ok := content.Attributes["default"]; ok {
			v, diags := attr.Expr.Value(nil)
			c.diags = append(c.diags, diags...)
			if !diags.HasErrors() {
				c.scope.vars[name] = v
			}
		} else {
			c.errorAt(block.DefRange, "Variable without a default",
				"var.%s has no default: give it one, so that the check and a plan without -var can evaluate it", name)
		}
		if attr, ok := content.Attributes["sensitive"]; ok {
			v, diags := attr.Expr.Value(nil)
			c.diags = append(c.diags, diags...)
			c.scope.sensitive[name] = !diags.HasErrors() && v.Type() == cty.Bool && v.True()
			if c.scope.sensitive[name] {
				c.scope.vars[name] = sensitiveValue(name, c.scope.vars[name], c.unset)
			}
		}
		for _, v := range content.Blocks {
			if v.Type == "validation" {
				validations = append(validations, v)
			}
		}
	}
	if opts.BuildDir != "" {
		if _, ok := c.scope.vars["build_dir"]; !ok {
			c.diags = append(c.diags, &hcl.Diagnostic{Severity: hcl.DiagError,
				Summary: "No build_dir variable", Detail: "a build folder was given, but no variable \"build_dir\" takes it"})
		}
		c.scope.vars["build_dir"] = cty.StringVal(opts.BuildDir)
	}
	for _, v := range validations {
		c.checkCondition(v.Body, "Variable validation failed")
	}
}

// checkCondition evaluates a validation, precondition or postcondition
// block and reports it when its condition is not true. A condition on the
// value of a secret that is set is Terraform's to judge at plan: the check
// holds a stand-in for that value (sensitiveValue).
func (c *checker) checkCondition(body hcl.Body, summary string) {
	content, diags := body.Content(conditionSchema)
	c.diags = append(c.diags, diags...)
	cond, ok := content.Attributes["condition"]
	if !ok || c.onSetSecret(cond.Expr, map[string]bool{}) {
		return
	}
	v, diags := cond.Expr.Value(c.scope.ctx())
	c.diags = append(c.diags, diags...)
	v, _ = v.Unmark() // Terraform tests a condition on sensitive values too
	if diags.HasErrors() || !v.IsKnown() {
		return
	}
	if v.Type() != cty.Bool || v.IsNull() || v.False() {
		msg := "the condition is not true"
		if m, ok := content.Attributes["error_message"]; ok {
			if mv, diags := m.Expr.Value(c.scope.ctx()); !diags.HasErrors() && mv.Type() == cty.String && mv.IsKnown() && !mv.IsNull() {
				msg = mv.AsString()
			}
		}
		c.errorAt(cond.Expr.Range(), summary, "%s", msg)
	}
}

// onSetSecret reports whether expr refers, directly or through locals
// (those in seen already excepted), to a sensitive variable that holds a
// stand-in for a set value rather than its default.
func (c *checker) onSetSecret(expr hcl.Expression, seen map[string]bool) bool {
	if c.unset {
		return false
	}
	for _, t := range expr.Variables() {
		if len(t) < 2 {
			continue
		}
		step, ok := t[1].(hcl.TraverseAttr)
		if !ok {
			continue
		}
		switch t.RootName() {
		case "var":
			if c.scope.sensitive[step.Name] {
				return true
			}
		case "local":
			if e, known := c.localExpr[step.Name]; known && !seen[step.Name] {
				seen[step.Name] = true
				if c.onSetSecret(e, seen) {
					return true
				}
			}
		}
	}
	return false
}

// evalLocals evaluates every local once the locals it refers to are known,
// and reports those it cannot evaluate.
func (c *checker) evalLocals() {
	c.localExpr = map[string]hcl.Expression{}
	pending := map[string]*hcl.Attribute{}
	for _, block := range c.locals {
		attrs, diags := block.Body.JustAttributes()
		c.diags = append(c.diags, diags...)
		for name, attr := range attrs {
			if prev, ok := pending[name]; ok {
				c.errorAt(attr.NameRange, "Duplicate local", "local.%s is also defined at %s", name, prev.NameRange)
				continue
			}
			pending[name] = attr
			c.localExpr[name] = attr.Expr
		}
	}
	for progress := true; progress && len(pending) > 0; {
		progress = false
		for _, name := range sortedKeys(pending) {
			attr := pending[name]
			if !c.localsKnown(attr.Expr) {
				continue
			}
			delete(pending, name)
			progress = true
			v, diags := attr.Expr.Value(c.scope.ctx())
			c.diags = append(c.diags, diags...)
			if diags.HasErrors() {
				v = cty.DynamicVal
			}
			c.scope.locals[name] = v
		}
	}
	for _, name := range sortedKeys(pending) {
		c.errorAt(pending[name].Expr.Range(), "Local cannot be evaluated",
			"local.%s refers to a local that is missing or refers back to it", name)
		c.scope.locals[name] = cty.DynamicVal
	}
}

// localsKnown reports whether every local expr refers to has a value.
func (c *checker) localsKnown(expr hcl.Expression) bool {
	for _, t := range expr.Variables() {
		if t.RootName() != "local" || len(t) < 2 {
			continue
		}
		step, ok := t[1].(hcl.TraverseAttr)
		if !ok {
			continue
		}
		if _, known := c.scope.locals[step.Name]; !known {
			return false
		}
	}
	return true
}
