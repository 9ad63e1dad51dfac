package compiler

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// wasmHeader is a module's magic number and version 1.
const wasmHeader = "\x00asm\x01\x00\x00\x00"

// stripCustomSections returns wasm without its custom sections (id 0):
// TinyGo's -no-debug leaves the function names ("name"), the toolchain's
// "producers" and the linker's "target_features", about 10 % of a module,
// which no runtime reads. The other sections are kept byte for byte, in
// order. No library here writes wasm binaries, and the section framing is
// all this needs: an id byte, a LEB128 size, the payload.
func stripCustomSections(wasm []byte) ([]byte, error) {
	if len(wasm) < len(wasmHeader) || string(wasm[:len(wasmHeader)]) != wasmHeader {
		return nil, errors.New("not a version 1 wasm module")
	}
	out := append([]byte(nil), wasm[:len(wasmHeader)]...)
	for rest := wasm[len(wasmHeader):]; len(rest) > 0; {
		id := rest[0]
		size, n := binary.Uvarint(rest[1:])
		if n <= 0 || n > 5 || size > uint64(len(rest)-1-n) {
			return nil, fmt.Errorf("section %d at byte %d: bad size", id, len(wasm)-len(rest))
		}
		end := 1 + n + int(size)
		if id != 0 {
			out = append(out, rest[:end]...)
		}
		rest = rest[end:]
	}
	return out, nil
}
