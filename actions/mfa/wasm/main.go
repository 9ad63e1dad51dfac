//go:build wasip1

// Command wasm is the WebAssembly entry of the mfa action: a thin wrapper that
// serves mfa.Decide through the guest ABI.
package main

import (
	"github.com/floatme/auth0-wasm-actions/actions/mfa"
	"github.com/floatme/auth0-wasm-actions/internal/guest"
)

func init() { guest.Serve(mfa.Contract, mfa.Decide) }

func main() {}
