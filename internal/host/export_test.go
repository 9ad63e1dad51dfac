package host

// MemoryBytes returns the size of the current instance's memory, 0 when
// there is none.
func (m *Module) MemoryBytes() uint32 {
	if m.inst == nil {
		return 0
	}
	return m.inst.mod.Memory().Size()
}

// GrowMemoryTo grows the current instance's memory to size bytes (a
// multiple of 64 KiB) and reports whether it could; false when there is no
// instance.
func (m *Module) GrowMemoryTo(size uint64) bool {
	if m.inst == nil {
		return false
	}
	mem := m.inst.mod.Memory()
	if size <= uint64(mem.Size()) {
		return true
	}
	_, ok := mem.Grow(uint32((size - uint64(mem.Size())) / (64 << 10)))
	return ok
}
