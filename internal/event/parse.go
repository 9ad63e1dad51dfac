package event

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"unicode/utf8"
)

// Parse decodes a JSON event into the values JavaScript's JSON.parse makes
// of the same text, as Go holds them: objects as map[string]any (a
// repeated key keeps its last value), arrays as []any, numbers as float64
// (±Inf beyond its range), strings as string, or IllFormed when they escape
// a lone surrogate. Nesting has no limit, as in JSON.parse. Text that is not
// valid UTF-8 is refused: Go's decoder and Node's replace invalid bytes
// differently, so the two hosts would read different events.
func Parse(data []byte) (any, error) {
	if !utf8.Valid(data) {
		return nil, errors.New("event: the file is not valid UTF-8 (Go and Node would read its strings differently)")
	}
	p := parser{data: data, d: json.NewDecoder(bytes.NewReader(data))}
	p.d.UseNumber()
	v, err := p.value()
	if err != nil {
		return nil, eventError(err)
	}
	if _, err := p.d.Token(); err != io.EOF {
		return nil, errors.New("event: data after the JSON value")
	}
	return v, nil
}

func eventError(err error) error {
	if err == io.EOF {
		return errors.New("event: no JSON value")
	}
	return errors.New("event: " + err.Error())
}

// parser builds a value from a decoder's tokens with a stack of its own, so
// that nesting costs no Go stack and meets no decoder limit.
type parser struct {
	data []byte
	d    *json.Decoder
}

// container is an object or array being built: its key, for an object,
// while the key's value is awaited.
type container struct {
	obj    map[string]any // nil for an array
	arr    []any
	key    string
	hasKey bool
}

func (c *container) value() any {
	if c.obj != nil {
		return c.obj
	}
	return c.arr
}

// value reads one JSON value.
func (p *parser) value() (any, error) {
	var stack []*container
	for {
		start := p.d.InputOffset()
		tok, err := p.d.Token()
		if err != nil {
			if err == io.EOF && len(stack) > 0 {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
		var top *container
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		var v any
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, &container{obj: map[string]any{}})
				continue
			case '[':
				stack = append(stack, &container{arr: []any{}})
				continue
			}
			// '}' or ']': top is complete, and its parent gets it.
			v, stack, top = top.value(), stack[:len(stack)-1], nil
			if len(stack) > 0 {
				top = stack[len(stack)-1]
			}
		case string:
			if top != nil && top.obj != nil && !top.hasKey {
				top.key, top.hasKey = t, true
				continue
			}
			v = p.str(t, p.data[start:p.d.InputOffset()])
		case json.Number:
			if v, err = numberOf(t); err != nil {
				return nil, err
			}
		default: // bool or nil
			v = t
		}
		if top == nil {
			return v, nil
		}
		if top.obj != nil {
			top.obj[top.key], top.hasKey = v, false
		} else {
			top.arr = append(top.arr, v)
		}
	}
}

// str returns s, decoded from raw (the bytes of its token), or IllFormed
// when raw escapes a lone surrogate.
func (p *parser) str(s string, raw []byte) any {
	if escapesLoneSurrogate(raw) {
		return IllFormed(s)
	}
	return s
}

// escapesLoneSurrogate reports whether raw, the bytes of one JSON string
// token (with whatever separator precedes it), escapes a surrogate that is
// not half of a \uD8xx\uDCxx pair. A literal surrogate cannot occur: its
// UTF-8 form is invalid, and Parse refuses invalid UTF-8.
func escapesLoneSurrogate(raw []byte) bool {
	pendingHigh := false
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' {
			if pendingHigh {
				return true
			}
			continue
		}
		i++ // the escaped byte
		if i >= len(raw) || raw[i] != 'u' {
			if pendingHigh {
				return true
			}
			continue
		}
		unit, ok := hex4(raw[i+1:])
		i += 4
		switch {
		case !ok:
			return false // the decoder refused it already
		case unit >= 0xD800 && unit <= 0xDBFF:
			if pendingHigh {
				return true
			}
			pendingHigh = true
		case unit >= 0xDC00 && unit <= 0xDFFF:
			if !pendingHigh {
				return true
			}
			pendingHigh = false
		default:
			if pendingHigh {
				return true
			}
		}
	}
	return pendingHigh
}

// hex4 decodes four hex digits at the start of b.
func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
