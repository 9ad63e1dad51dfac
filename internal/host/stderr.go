package host

import (
	"bytes"
	"unicode/utf8"
)

// stderrLimit bounds what a guest's stderr can cost the host.
const stderrLimit = 1 << 10

// stderrCapture keeps the first stderrLimit bytes a guest writes to stderr during one
// call, for the failure detail; the rest is dropped.
type stderrCapture struct{ buf []byte }

func (t *stderrCapture) Write(p []byte) (int, error) {
	if room := stderrLimit - len(t.buf); room > 0 {
		t.buf = append(t.buf, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

func (t *stderrCapture) reset() { t.buf = t.buf[:0] }

// firstLine returns the first non-empty line written, as valid UTF-8.
func (t *stderrCapture) firstLine() string {
	for line := range bytes.Lines(t.buf) {
		if line = bytes.TrimSpace(line); len(line) > 0 {
			return string(bytes.ToValidUTF8(line, []byte(string(utf8.RuneError))))
		}
	}
	return ""
}
