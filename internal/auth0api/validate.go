package auth0api

import (
	"errors"
	"fmt"
	"slices"

	"github.com/floatme/auth0-wasm-actions/internal/contract"
)

// Validate (here, not in package contract, which every guest links: this
// package parses api.json when it starts) returns an error naming each way c cannot be deployed as it
// says: a trigger whose api object internal/auth0api does not describe, a
// handler or version other than the description's, or an op (of an
// outcome, the fallback or a guard) that the trigger's api object does not
// have.
func Validate(c contract.Contract) error {
	t, ok := Triggers[c.Trigger.ID]
	if !ok {
		return fmt.Errorf("%s: trigger %q: internal/auth0api/api.json does not describe its api object", c.Action, c.Trigger.ID)
	}
	var errs []error
	if t.Handler != c.Trigger.Handler || t.Version != c.Trigger.Version {
		errs = append(errs, fmt.Errorf("%s: trigger %s %s with handler %s: the api description has version %s, handler %s",
			c.Action, c.Trigger.ID, c.Trigger.Version, c.Trigger.Handler, t.Version, t.Handler))
	}
	for _, op := range contractOps(c) {
		if err := CheckOp(c.Trigger.ID, op); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", c.Action, err))
		}
	}
	return errors.Join(errs...)
}

// contractOps returns every op c names: its outcomes' calls, its fallback and its
// guards, each once.
func contractOps(c contract.Contract) []string {
	var ops []string
	add := func(op string) {
		if !slices.Contains(ops, op) {
			ops = append(ops, op)
		}
	}
	for _, o := range c.Outcomes {
		for _, s := range o.Calls {
			add(s.Op)
		}
	}
	for _, call := range c.Fallback {
		add(call.Op)
	}
	for _, g := range c.Guards() {
		add(g.Op)
	}
	return ops
}
