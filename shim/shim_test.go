package shim

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNoMultilineLiterals: no string or template literal of shim.js spans
// lines, so every line withoutCommentLines drops is a comment. The scan
// knows quotes, backslash escapes and // comments; a quote it takes for
// the start of a literal that is not one makes it fail, never pass.
func TestNoMultilineLiterals(t *testing.T) {
	var quote byte
	opened := 0
	for n, line := range strings.Split(string(Source), "\n") {
		for i := 0; i < len(line); i++ {
			switch c := line[i]; {
			case quote == 0 && strings.HasPrefix(line[i:], "//"):
				i = len(line)
			case quote == 0 && (c == '\'' || c == '"' || c == '`'):
				quote, opened = c, n+1
			case quote != 0 && c == '\\':
				i++
			case c == quote:
				quote = 0
			}
		}
		require.Zero(t, quote, "a %c literal opened on line %d of shim.js runs past its end", quote, opened)
	}
}

func TestWithoutCommentLines(t *testing.T) {
	src := "// a\ncode(); // kept: not a whole line\n  // b\n\t// c\nmore();\n"
	assert.Equal(t, "code(); // kept: not a whole line\nmore();\n", string(withoutCommentLines([]byte(src))))
}
