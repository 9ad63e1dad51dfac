// Package actions lists the actions this repository builds. Each lives in its
// own package (a pure decision and its contract) with a thin wasm entry in
// its wasm/ folder.
package actions

import (
	"github.com/floatme/auth0-wasm-actions/actions/enablemfa"
	"github.com/floatme/auth0-wasm-actions/actions/ipmeta"
	"github.com/floatme/auth0-wasm-actions/actions/mfa"
	"github.com/floatme/auth0-wasm-actions/internal/contract"
)

// Action is one action: its contract, its decision, and the Go package of
// its wasm entry.
type Action struct {
	Contract contract.Contract
	Decide   contract.Decider
	Main     string
}

const module = "github.com/floatme/auth0-wasm-actions/actions/"

// All lists every action, in deploy order.
var All = []Action{
	{Contract: mfa.Contract, Decide: mfa.Decide, Main: module + "mfa/wasm"},
	{Contract: ipmeta.Contract, Decide: ipmeta.Decide, Main: module + "ipmeta/wasm"},
	{Contract: enablemfa.Contract, Decide: enablemfa.Decide, Main: module + "enablemfa/wasm"},
}

// Named returns the action called name, and false when there is none.
func Named(name string) (Action, bool) {
	for _, a := range All {
		if a.Contract.Action == name {
			return a, true
		}
	}
	return Action{}, false
}
