//go:build wasip1

// Command extraimport is a test guest that reads a file, so it imports WASI
// functions the shim does not provide; the build must refuse it.
package main

import (
	"os"

	"github.com/floatme/auth0-wasm-actions/actions/enablemfa"
	"github.com/floatme/auth0-wasm-actions/internal/abi"
	"github.com/floatme/auth0-wasm-actions/internal/guest"
)

func init() {
	guest.Serve(enablemfa.Contract, func(in []abi.Value) abi.Result {
		if _, err := os.ReadFile("/etc/hostname"); err != nil {
			return abi.Result{Reason: err.Error()}
		}
		return enablemfa.Decide(in)
	})
}

func main() {}
