package diff

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/floatme/auth0-wasm-actions/internal/abi"
	"github.com/floatme/auth0-wasm-actions/internal/contract"
)

func enable(method string) abi.Call {
	return abi.Call{Op: contract.OpMultifactorEnable, Args: []abi.Value{abi.StringValue(method)}}
}

func TestDroppedCalls(t *testing.T) {
	guarded := []string{contract.OpMultifactorEnable}
	meta := abi.Call{Op: contract.OpSetUserMetadata, Args: []abi.Value{abi.StringValue("last_ip")}}
	for name, tt := range map[string]struct {
		from, to []abi.Call
		want     []string
	}{
		"kept":                 {[]abi.Call{enable("any")}, []abi.Call{enable("any")}, nil},
		"dropped":              {[]abi.Call{enable("any")}, nil, []string{`multifactor.enable("any")`}},
		"other arguments":      {[]abi.Call{enable("any")}, []abi.Call{enable("otp")}, []string{`multifactor.enable("any")`}},
		"one of two dropped":   {[]abi.Call{enable("any"), enable("any")}, []abi.Call{enable("any")}, []string{`multifactor.enable("any")`}},
		"added":                {nil, []abi.Call{enable("any")}, nil},
		"unguarded op dropped": {[]abi.Call{meta}, nil, nil},
	} {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tt.want, droppedCalls(tt.from, tt.to, guarded))
		})
	}
}

func TestContractChanges(t *testing.T) {
	base := contract.Contract{Action: "a", Reads: []string{"user.email"},
		Outcomes: []contract.Outcome{{Reason: "skip-it", Decision: "skip"}}, Fallback: []abi.Call{enable("any")}}
	for name, tt := range map[string]struct {
		edit    func(*contract.Contract)
		want    string
		weakens bool
	}{
		"read added":   {func(c *contract.Contract) { c.Reads = append(c.Reads, "stats.logins_count") }, "reads stats.logins_count (new)", false},
		"read removed": {func(c *contract.Contract) { c.Reads = nil }, "no longer reads user.email", false},
		"reason added": {func(c *contract.Contract) {
			c.Outcomes = append(c.Outcomes, contract.Outcome{Reason: "new", Decision: "skip"})
		}, "reason new added: skip []", false},
		"reason removed":   {func(c *contract.Contract) { c.Outcomes = nil }, "reason skip-it removed (was skip [])", false},
		"reason changed":   {func(c *contract.Contract) { c.Outcomes = []contract.Outcome{{Reason: "skip-it", Decision: "pass"}} }, "reason skip-it changed: skip [] → pass []", false},
		"fallback dropped": {func(c *contract.Contract) { c.Fallback = nil }, `fallback [multifactor.enable("any")] → []: a failing module no longer makes multifactor.enable("any")`, true},
		"fallback added":   {func(c *contract.Contract) { c.Fallback = append(c.Fallback, enable("otp")) }, `fallback [multifactor.enable("any")] → [multifactor.enable("any"), multifactor.enable("otp")]`, false},
	} {
		t.Run(name, func(t *testing.T) {
			head := base
			head.Reads, head.Outcomes, head.Fallback = slices.Clone(base.Reads), slices.Clone(base.Outcomes), slices.Clone(base.Fallback)
			tt.edit(&head)
			assert.Equal(t, []Change{{What: tt.want, Weakens: tt.weakens}}, contractChanges(base, head))
		})
	}
	assert.Empty(t, contractChanges(base, base), "a contract against itself")
}

func TestGridEnumeratesEveryCombination(t *testing.T) {
	events := []any{
		map[string]any{"a": "x", "b": true},
		map[string]any{"a": "y"},
	}
	g := newGrid([]string{"a", "b"}, events)
	got := collect(g, 100)
	want := []string{"(missing) (missing)", "(missing) true", `"x" (missing)`, `"x" true`, `"y" (missing)`, `"y" true`}
	assert.Equal(t, want, got)
}

func TestGridSamplesBeyondTheCap(t *testing.T) {
	g := newGrid([]string{"a", "b"}, []any{map[string]any{"a": 1.0, "b": 1.0}, map[string]any{"a": 2.0, "b": 2.0}})
	assert.Equal(t, 5, g.size(4), "3×3 combinations over a cap of 4")
	first, second := collect(g, 4), collect(g, 4)
	assert.Len(t, first, 4)
	assert.Equal(t, first, second, "the same sample every time")
}

// TestGridLeavesOutImpossibleEvents: a value below a path holding a string
// cannot be in an event.
func TestGridLeavesOutImpossibleEvents(t *testing.T) {
	g := newGrid([]string{"user", "user.email"}, []any{map[string]any{"user": "jane"}, map[string]any{"user": map[string]any{"email": "j@x"}}})
	want := []string{"(missing) (missing)", `"jane" (missing)`, "(object) (missing)", `(object) "j@x"`}
	assert.Equal(t, want, collect(g, 100), "user missing or a string cannot hold an email")
}

// collect returns the fields of each event g yields under limit.
func collect(g grid, limit int) []string {
	var out []string
	for it := range g.items(limit) {
		out = append(out, fieldsKey(it.event, g.paths))
	}
	return out
}

func fieldsKey(ev any, paths []string) string {
	parts := []string{}
	for _, f := range maskedFields(ev, paths) {
		parts = append(parts, f.Value)
	}
	return strings.Join(parts, " ")
}

func TestMaskedFieldsHideSecrets(t *testing.T) {
	ev := map[string]any{"tenant": map[string]any{"id": "t-123456"}, "secrets": map[string]any{"TEST_TENANT_ID": "t-123456", "OTHER": "hush-hush"}}
	got := maskedFields(ev, []string{"tenant.id", "secrets.TEST_TENANT_ID", "secrets.OTHER", "secrets.UNSET"})
	want := []Field{
		{"tenant.id", "(equals secrets.TEST_TENANT_ID)"},
		{"secrets.TEST_TENANT_ID", "(secret, set, equals tenant.id)"},
		{"secrets.OTHER", "(secret, set)"},
		{"secrets.UNSET", "(secret, missing)"},
	}
	assert.Equal(t, want, got)
}
