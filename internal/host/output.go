package host

import (
	"bytes"
	"unicode/utf8"
)

// outputLimit bounds what a guest's output can cost the host.
const outputLimit = 1 << 10

// outputCapture keeps the first outputLimit bytes a guest writes to stdout
// or stderr during one call (a TinyGo module prints a panic's message to
// stdout, a standard Go one its fatal errors to stderr), for the failure
// detail; the rest is dropped. The capture owns its buffer; output returns
// a copy.
type outputCapture struct {
	buf []byte
	cut bool // bytes were dropped
}

func (o *outputCapture) Write(p []byte) (int, error) {
	room := outputLimit - len(o.buf)
	o.buf = append(o.buf, p[:max(0, min(room, len(p)))]...)
	o.cut = o.cut || len(p) > room
	return len(p), nil
}

func (o *outputCapture) reset() { o.buf, o.cut = o.buf[:0], false }

// output returns a copy of what was captured.
func (o *outputCapture) output() guestOutput {
	return guestOutput{text: bytes.Clone(o.buf), cut: o.cut}
}

// guestOutput is what a guest wrote during a failed call, raw: it may hold
// secrets, so it is shown only through scrub.
type guestOutput struct {
	text []byte
	cut  bool // the guest wrote more than text
}

// firstLine returns the first non-empty line of text, trimmed, as valid
// UTF-8.
func firstLine(text []byte) string {
	for line := range bytes.Lines(text) {
		if line = bytes.TrimSpace(line); len(line) > 0 {
			return string(bytes.ToValidUTF8(line, []byte(string(utf8.RuneError))))
		}
	}
	return ""
}
