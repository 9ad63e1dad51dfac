//go:build wasip1

package guest

import (
	"unsafe"

	"github.com/floatme/auth0-wasm-actions/internal/abi"
)

// input and output are the two buffers of the ABI. The guest owns both: input
// until the next input_buffer call, output until the next decide call.
var input, output []byte

//go:wasmexport abi_version
func abiVersion() uint32 { return abi.Version }

// inputBuffer returns a pointer to size bytes of guest memory for the next
// request, reusing the previous buffer when it is large enough; 0 when size
// is over abi.MaxRequest.
//
//go:wasmexport input_buffer
func inputBuffer(size uint32) uint32 {
	if size > abi.MaxRequest {
		return 0
	}
	if cap(input) < int(size) || cap(input) == 0 {
		input = make([]byte, max(size, 64))
	}
	input = input[:size]
	return pointer(input[:cap(input)])
}

// decide answers the request in the first size bytes of the input buffer and
// returns the response's pointer and length, packed.
//
//go:wasmexport decide
func decide(size uint32) uint64 {
	if int(size) > len(input) {
		output = abi.AppendError(output[:0], abi.Error{Code: CodeBadRequest, Message: "request is larger than the input buffer"})
	} else {
		output = served(output, input[:size])
	}
	return abi.Pack(pointer(output), uint32(len(output)))
}

// pointer returns the address of b's first byte in linear memory. The Go
// collector does not move objects, and input and output keep theirs alive.
func pointer(b []byte) uint32 {
	return uint32(uintptr(unsafe.Pointer(unsafe.SliceData(b))))
}
