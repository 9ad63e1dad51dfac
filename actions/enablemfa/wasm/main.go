//go:build wasip1

// Command wasm is the WebAssembly entry of the enablemfa action: a thin wrapper that
// serves enablemfa.Decide through the guest ABI.
package main

import (
	"github.com/floatme/auth0-wasm-actions/actions/enablemfa"
	"github.com/floatme/auth0-wasm-actions/internal/guest"
)

func init() { guest.Serve(enablemfa.Contract, enablemfa.Decide) }

func main() {}
