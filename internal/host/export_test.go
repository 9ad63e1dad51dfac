package host

// MemoryBytes returns the size of the current instance's memory, 0 when
// there is none.
func (m *Module) MemoryBytes() uint32 {
	if m.inst == nil {
		return 0
	}
	return m.inst.mod.Memory().Size()
}
