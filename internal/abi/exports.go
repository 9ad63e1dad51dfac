package abi

// The guest's exports. ABI.md says what each does and who owns which memory.
const (
	ExportInitialize  = "_initialize"  // () -> (); the Go runtime's reactor start
	ExportVersion     = "abi_version"  // () -> i32; returns Version
	ExportInputBuffer = "input_buffer" // (size i32) -> i32 pointer, 0 when refused
	ExportDecide      = "decide"       // (size i32) -> i64 (pointer << 32 | length)
	ExportMemory      = "memory"
)

// MaxRequest is the largest request, in bytes, that a guest accepts.
const MaxRequest = 16 << 20

// MaxMemory is the most linear memory, in bytes, a module may grow to: the
// maximum the build writes into every module (internal/compiler) and
// checks (internal/bundle). A guest that needs more traps, as for any trap.
// ABI.md ("Memory: who owns what") says how the figure was chosen.
const MaxMemory = 128 << 20

// SplitPacked splits decide's i64 result into the response's pointer and length.
func SplitPacked(packed uint64) (ptr, length uint32) {
	return uint32(packed >> 32), uint32(packed)
}

// Pack is the inverse of SplitPacked.
func Pack(ptr, length uint32) uint64 { return uint64(ptr)<<32 | uint64(length) }
