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
	flag := contract.Guard{Op: contract.OpSetAppMetadata, Args: []abi.Value{abi.StringValue("auth_require_mfa")}}
	guards := []contract.Guard{{Op: contract.OpMultifactorEnable}, flag}
	meta := abi.Call{Op: contract.OpSetUserMetadata, Args: []abi.Value{abi.StringValue("last_ip")}}
	set := func(key string) abi.Call {
		return abi.Call{Op: contract.OpSetAppMetadata, Args: []abi.Value{abi.StringValue(key), abi.BoolValue(true)}}
	}
	for name, tt := range map[string]struct {
		from, to []abi.Call
		want     []string
	}{
		"kept":                  {[]abi.Call{enable("any")}, []abi.Call{enable("any")}, nil},
		"dropped":               {[]abi.Call{enable("any")}, nil, []string{`multifactor.enable("any")`}},
		"other arguments":       {[]abi.Call{enable("any")}, []abi.Call{enable("otp")}, []string{`multifactor.enable("any")`}},
		"one of two dropped":    {[]abi.Call{enable("any"), enable("any")}, []abi.Call{enable("any")}, []string{`multifactor.enable("any")`}},
		"added":                 {nil, []abi.Call{enable("any")}, nil},
		"unguarded op dropped":  {[]abi.Call{meta}, nil, nil},
		"guarded key dropped":   {[]abi.Call{set("auth_require_mfa"), set("uses_new_mfa_action")}, []abi.Call{set("uses_new_mfa_action")}, []string{`user.setAppMetadata("auth_require_mfa", true)`}},
		"unguarded key dropped": {[]abi.Call{set("auth_require_mfa"), set("uses_new_mfa_action")}, []abi.Call{set("auth_require_mfa")}, nil},
	} {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tt.want, droppedCalls(tt.from, tt.to, guards))
		})
	}
}

func TestContractChanges(t *testing.T) {
	mfaGuard := contract.Guard{Op: contract.OpMultifactorEnable}
	base := contract.Contract{Action: "a", Reads: []string{"user.email"},
		Outcomes: []contract.Outcome{{Reason: "skip-it", Decision: "skip"}}, Fallback: []abi.Call{enable("any")},
		Guarded: []contract.Guard{mfaGuard}}
	for name, tt := range map[string]struct {
		edit    func(*contract.Contract)
		want    string
		weakens bool
	}{
		"read added":    {func(c *contract.Contract) { c.Reads = append(c.Reads, "stats.logins_count") }, "reads stats.logins_count (new)", false},
		"guard removed": {func(c *contract.Contract) { c.Guarded = nil }, "no longer guards multifactor.enable: dropping its calls would go unnoticed", true},
		"guard added": {func(c *contract.Contract) {
			c.Guarded = append(c.Guarded, contract.Guard{Op: contract.OpSetAppMetadata, Args: []abi.Value{abi.StringValue("k")}})
		}, `guards user.setAppMetadata("k", …) (new)`, false},
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
			head.Reads, head.Outcomes, head.Fallback, head.Guarded = slices.Clone(base.Reads), slices.Clone(base.Outcomes), slices.Clone(base.Fallback), slices.Clone(base.Guarded)
			tt.edit(&head)
			assert.Equal(t, []Change{{What: tt.want, Weakens: tt.weakens}}, contractChanges(base, head))
		})
	}
	assert.Empty(t, contractChanges(base, base), "a contract against itself")
	t.Run("an unguarded fallback call dropped", func(t *testing.T) {
		head := base
		head.Guarded = nil
		base := head
		base.Fallback = []abi.Call{{Op: contract.OpSetAppMetadata}}
		assert.Equal(t, []Change{{What: "fallback [user.setAppMetadata()] → []"}}, contractChanges(base, contract.Contract{Action: "a", Reads: base.Reads, Outcomes: base.Outcomes}))
	})
}

// TestUserControlledReadsComeFirst: a new read of a field the end user sets
// is a risk, shown before every other change.
func TestUserControlledReadsComeFirst(t *testing.T) {
	base := contract.Contract{Action: "a", Reads: []string{"user.email"}}
	head := contract.Contract{Action: "a", Reads: []string{"stats.logins_count", "user.user_metadata.skip_mfa"}}
	got := contractChanges(base, head)
	want := []Change{
		{What: "reads user.user_metadata.skip_mfa (new; the end user sets this field: check what they can make the action do with it)", Risk: true},
		{What: "reads stats.logins_count (new)"},
		{What: "no longer reads user.email"},
	}
	assert.Equal(t, want, got)
}

func TestGridEnumeratesEveryCombination(t *testing.T) {
	events := []any{
		map[string]any{"a": "x", "b": true},
		map[string]any{"a": "y"},
	}
	g := newGrid([]string{"a", "b"}, events)
	got := collect(g, 100, nil)
	want := []string{"(missing) (missing)", "(missing) true", `"x" (missing)`, `"x" true`, `"y" (missing)`, `"y" true`}
	assert.Equal(t, want, got)
}

func TestGridSamplesBeyondTheCap(t *testing.T) {
	g := newGrid([]string{"a", "b"}, []any{map[string]any{"a": 1.0, "b": 1.0}, map[string]any{"a": 2.0, "b": 2.0}})
	assert.Equal(t, 5, g.size(4), "3×3 combinations over a cap of 4")
	first, second := collect(g, 4, nil), collect(g, 4, nil)
	assert.Len(t, first, 4)
	assert.Equal(t, first, second, "the same sample every time")
}

// TestGridLeavesOutImpossibleEvents: a value below a path holding a string
// cannot be in an event.
func TestGridLeavesOutImpossibleEvents(t *testing.T) {
	g := newGrid([]string{"user", "user.email"}, []any{map[string]any{"user": "jane"}, map[string]any{"user": map[string]any{"email": "j@x"}}})
	want := []string{"(missing) (missing)", `"jane" (missing)`, "(object) (missing)", `(object) "j@x"`}
	assert.Equal(t, want, collect(g, 100, nil), "user missing or a string cannot hold an email")
}

// collect returns the fields of each event g yields under limit.
func collect(g grid, limit int, contexts [][][]int) []string {
	var out []string
	items, _ := g.items(limit, contexts)
	for it := range items {
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

// TestPathsAddTheCommonEventFields: the corpus also sets the trigger's
// common event fields, but none above or below a read path.
func TestPathsAddTheCommonEventFields(t *testing.T) {
	c := contract.Contract{Trigger: contract.PreUserRegistration, Reads: []string{"user.user_metadata.x", "request"}}
	got := pair{base: c, head: c}.paths()
	assert.Equal(t, []string{"user.user_metadata.x", "request"}, got[:2], "the reads first")
	assert.Contains(t, got, "user.email")
	for _, p := range got[2:] {
		assert.False(t, strings.HasPrefix(p, "request."), "%s is below the read path request", p)
	}
	assert.Equal(t, len(got), len(slices.Compact(slices.Sorted(slices.Values(got)))), "each path once: %v", got)
}
