//go:build wasip1

// Command badpointer is a test guest that speaks the ABI except that decide
// answers with a response lying past the end of its memory; both hosts must
// refuse it (bad-response) without reading out of bounds. It exports the ABI
// itself, without internal/guest, to choose what decide returns.
package main

import (
	"unsafe"

	"github.com/floatme/auth0-wasm-actions/internal/abi"
)

var input = make([]byte, 4096)

//go:wasmexport abi_version
func abiVersion() uint32 { return abi.Version }

//go:wasmexport input_buffer
func inputBuffer(size uint32) uint32 {
	if int(size) > len(input) {
		return 0
	}
	return uint32(uintptr(unsafe.Pointer(unsafe.SliceData(input))))
}

// decide answers 64 bytes that start 16 bytes before the 4 GiB mark, far
// past any memory this module grows to.
//
//go:wasmexport decide
func decide(uint32) uint64 { return abi.Pack(1<<32-16, 64) }

func main() {}
