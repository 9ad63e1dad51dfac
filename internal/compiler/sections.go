package compiler

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// wasmHeader is a module's magic number and version 1.
const wasmHeader = "\x00asm\x01\x00\x00\x00"

// Section ids this package reads.
const (
	customSection = 0
	memorySection = 5
)

// wasmPage is the size of one page of linear memory.
const wasmPage = 64 << 10

// section is one section of a module: its id, its bytes as framed (id, size,
// payload) and its payload, both slices of the module's bytes.
type section struct {
	id           byte
	raw, payload []byte
}

// sections splits wasm into its sections, in order. No library here writes
// wasm binaries (wazero decodes them, in internal packages only), and the
// section framing is all the rewrites below need: an id byte, a LEB128
// size, the payload.
func sections(wasm []byte) ([]section, error) {
	if len(wasm) < len(wasmHeader) || string(wasm[:len(wasmHeader)]) != wasmHeader {
		return nil, errors.New("not a version 1 wasm module")
	}
	var out []section
	for rest := wasm[len(wasmHeader):]; len(rest) > 0; {
		id := rest[0]
		size, n := binary.Uvarint(rest[1:])
		if n <= 0 || n > 5 || size > uint64(len(rest)-1-n) {
			return nil, fmt.Errorf("section %d at byte %d: bad size", id, len(wasm)-len(rest))
		}
		end := 1 + n + int(size)
		out = append(out, section{id: id, raw: rest[:end], payload: rest[1+n : end]})
		rest = rest[end:]
	}
	return out, nil
}

// stripCustomSections returns wasm without its custom sections (id 0):
// TinyGo's -no-debug leaves the function names ("name"), the toolchain's
// "producers" and the linker's "target_features", about 10 % of a module,
// which no runtime reads. The other sections are kept byte for byte, in
// order.
func stripCustomSections(wasm []byte) ([]byte, error) {
	secs, err := sections(wasm)
	if err != nil {
		return nil, err
	}
	out := []byte(wasmHeader)
	for _, s := range secs {
		if s.id != customSection {
			out = append(out, s.raw...)
		}
	}
	return out, nil
}

// limitMemory returns wasm with the maximum of the memory it defines set
// to maxBytes (a multiple of 64 KiB), replacing any maximum it had. The
// standard Go linker writes no maximum and has no flag for one; TinyGo
// could pass wasm-ld's --max-memory (-extldflags), but one rewrite for both
// compilers is one code path to test. It refuses a module that defines no memory or
// more than one, a shared or 64-bit memory (other limit flags), and one
// whose memory starts larger than maxBytes. Every other byte is kept.
func limitMemory(wasm []byte, maxBytes uint32) ([]byte, error) {
	if maxBytes%wasmPage != 0 {
		return nil, fmt.Errorf("memory maximum %d is not a whole number of 64 KiB pages", maxBytes)
	}
	secs, err := sections(wasm)
	if err != nil {
		return nil, err
	}
	out := []byte(wasmHeader)
	found := false
	for _, s := range secs {
		if s.id != memorySection {
			out = append(out, s.raw...)
			continue
		}
		payload, err := limitedMemoryPayload(s.payload, maxBytes/wasmPage)
		if err != nil {
			return nil, err
		}
		out = append(out, memorySection)
		out = binary.AppendUvarint(out, uint64(len(payload)))
		out = append(out, payload...)
		found = true
	}
	if !found {
		return nil, errors.New("the module defines no memory (an imported memory's maximum is the host's)")
	}
	return out, nil
}

// limitedMemoryPayload returns the payload of a memory section defining
// one memory of the same minimum as payload's and a maximum of maxPages.
func limitedMemoryPayload(payload []byte, maxPages uint32) ([]byte, error) {
	count, n := binary.Uvarint(payload)
	if n <= 0 || count != 1 {
		return nil, fmt.Errorf("memory section: %d memories, want 1", count)
	}
	rest := payload[n:]
	if len(rest) == 0 || rest[0] > 1 { // 0: min; 1: min and max
		return nil, errors.New("memory section: a shared, 64-bit or malformed memory")
	}
	hasMax := rest[0] == 1
	min, n := binary.Uvarint(rest[1:])
	used := 1 + n
	if n > 0 && hasMax {
		_, m := binary.Uvarint(rest[used:])
		n, used = m, used+m
	}
	switch {
	case n <= 0 || used != len(rest):
		return nil, errors.New("memory section: malformed limits")
	case min > uint64(maxPages):
		return nil, fmt.Errorf("memory starts at %d pages, over the maximum of %d", min, maxPages)
	}
	out := []byte{1, 1}
	out = binary.AppendUvarint(out, min)
	return binary.AppendUvarint(out, uint64(maxPages)), nil
}
