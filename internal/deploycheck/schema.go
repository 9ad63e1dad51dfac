package deploycheck

import "github.com/hashicorp/hcl/v2"

// attrSpec is one argument of a provider schema: whether it must be set,
// and when values is not empty the only values the provider accepts.
type attrSpec struct {
	required bool
	values   []string
}

// blockSpec is a nested block type of a provider schema: its arguments, and
// how many blocks of the type a resource needs (min) and allows (max, 0 for
// no limit).
type blockSpec struct {
	attrs    map[string]attrSpec
	min, max int
}

// resourceSpec is the part of a resource type's schema these deploy files may
// use.
type resourceSpec struct {
	attrs  map[string]attrSpec
	blocks map[string]blockSpec
}

// schemas is the subset of the auth0 provider's schema that the deploy files
// may use, as v1.0.0 defines it (read from its resource definitions).
// auth0_action's computed-only version_id cannot be set, so it is not
// listed. v1.55.0 keeps every name here; its secrets are a set of blocks
// rather than a list (the same syntax), and its runtime also accepts node22,
// which v1.0.0 refuses, so the values stay v1.0.0's.
var schemas = map[string]resourceSpec{
	"auth0_action": {
		attrs: map[string]attrSpec{
			"name":    {required: true},
			"code":    {required: true},
			"runtime": {values: []string{"node12", "node16", "node18"}},
			"deploy":  {},
		},
		blocks: map[string]blockSpec{
			"supported_triggers": {min: 1, max: 1, attrs: map[string]attrSpec{
				"id": {required: true}, "version": {required: true},
			}},
			"dependencies": {attrs: map[string]attrSpec{
				"name": {required: true}, "version": {required: true},
			}},
			"secrets": {attrs: map[string]attrSpec{
				"name": {required: true}, "value": {required: true},
			}},
		},
	},
	"auth0_trigger_actions": {
		attrs: map[string]attrSpec{
			"trigger": {required: true, values: []string{
				"post-login", "credentials-exchange", "pre-user-registration",
				"post-user-registration", "post-change-password", "send-phone-message",
				"password-reset-post-challenge", "iga-approval", "iga-certification",
				"iga-fulfillment-assignment", "iga-fulfillment-execution",
			}},
		},
		blocks: map[string]blockSpec{
			"actions": {min: 1, attrs: map[string]attrSpec{
				"id": {required: true}, "display_name": {required: true},
			}},
		},
	},
}

// metaAttrs and metaBlocks are the Terraform meta-arguments a resource here
// may use. count and for_each are left out: each action is one resource.
var (
	metaAttrs  = []string{"depends_on", "provider"}
	metaBlocks = []string{"lifecycle"}
)

// lifecycleSchema is Terraform's lifecycle block, less ignore_changes, which
// could hide a rebuilt bundle from the plan.
var lifecycleSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "create_before_destroy"}, {Name: "prevent_destroy"}, {Name: "replace_triggered_by"},
	},
	Blocks: []hcl.BlockHeaderSchema{{Type: "precondition"}, {Type: "postcondition"}},
}

// conditionSchema is a precondition or postcondition block.
var conditionSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "condition", Required: true}, {Name: "error_message", Required: true},
	},
}

// fileSchema is the top level of a .tf file here.
var fileSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "terraform"},
		{Type: "provider", LabelNames: []string{"name"}},
		{Type: "variable", LabelNames: []string{"name"}},
		{Type: "locals"},
		{Type: "resource", LabelNames: []string{"type", "name"}},
		{Type: "data", LabelNames: []string{"type", "name"}},
		{Type: "output", LabelNames: []string{"name"}},
	},
}

// terraformSchema is the terraform block; backend and cloud may be added for
// a real tenant's state.
var terraformSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "required_version"}},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "required_providers"},
		{Type: "backend", LabelNames: []string{"type"}},
		{Type: "cloud"},
	},
}

// variableSchema is a variable block.
var variableSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "description"}, {Name: "type"}, {Name: "default"}, {Name: "sensitive"}, {Name: "nullable"},
	},
	Blocks: []hcl.BlockHeaderSchema{{Type: "validation"}},
}

// outputSchema is an output block.
var outputSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "value", Required: true}, {Name: "description"}, {Name: "sensitive"}, {Name: "depends_on"},
	},
}

// bodySchema returns the HCL schema of a resource or nested block: its
// arguments and block types, plus extra argument and block names.
func bodySchema(attrs map[string]attrSpec, blocks map[string]blockSpec, extraAttrs, extraBlocks []string) *hcl.BodySchema {
	s := &hcl.BodySchema{}
	for _, name := range sortedKeys(attrs) {
		s.Attributes = append(s.Attributes, hcl.AttributeSchema{Name: name, Required: attrs[name].required})
	}
	for _, name := range extraAttrs {
		s.Attributes = append(s.Attributes, hcl.AttributeSchema{Name: name})
	}
	for _, name := range sortedKeys(blocks) {
		s.Blocks = append(s.Blocks, hcl.BlockHeaderSchema{Type: name})
	}
	for _, name := range extraBlocks {
		s.Blocks = append(s.Blocks, hcl.BlockHeaderSchema{Type: name})
	}
	return s
}
