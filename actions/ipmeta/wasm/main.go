//go:build wasip1

// Command wasm is the WebAssembly entry of the ipmeta action: a thin wrapper that
// serves ipmeta.Decide through the guest ABI.
package main

import (
	"github.com/floatme/auth0-wasm-actions/actions/ipmeta"
	"github.com/floatme/auth0-wasm-actions/internal/guest"
)

func init() { guest.Serve(ipmeta.Contract, ipmeta.Decide) }

func main() {}
