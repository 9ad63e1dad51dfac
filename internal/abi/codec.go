package abi

import (
	"encoding/binary"
	"errors"
	"math"
	"strconv"
	"unicode/utf8"
	"unsafe"
)

// Version is the first byte of every request and response. A guest and a host
// that disagree on it refuse each other's bytes.
const Version = 1

// Response status bytes.
const (
	statusOK    = 0
	statusError = 1
)

// Call is one api call an action asks the host to make, such as
// {Op: "multifactor.enable", Args: ["any"]}.
type Call struct {
	Op   string
	Args []Value
}

// Result is an action's decision: the reason code and the api calls, in order.
type Result struct {
	Reason string
	Calls  []Call
}

// Error is an error reported by the guest as data. Code is short and stable
// ("bad-request", "panic"); Message is for people.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return "guest error " + e.Code + ": " + e.Message }

// ErrFormat is wrapped by every error about bytes that break this format.
var ErrFormat = errors.New("abi: malformed bytes")

// AppendRequest appends the request carrying vals to dst.
func AppendRequest(dst []byte, vals []Value) []byte {
	dst = append(dst, Version)
	dst = binary.LittleEndian.AppendUint32(dst, uint32(len(vals)))
	for _, v := range vals {
		dst = appendValue(dst, v)
	}
	return dst
}

// DecodeRequest returns the values of a request made by AppendRequest.
func DecodeRequest(b []byte) ([]Value, error) { return decodeRequest(reader{b: b}) }

// DecodeRequestShared is DecodeRequest with strings that share b's memory
// instead of copying it: b owns them, and must not change while they are
// used. The guest decodes its input buffer so (internal/guest): a request
// of 16 MiB then takes no second 16 MiB of guest memory.
func DecodeRequestShared(b []byte) ([]Value, error) {
	return decodeRequest(reader{b: b, shared: true})
}

func decodeRequest(r reader) ([]Value, error) {
	r.version()
	vals := make([]Value, r.count())
	for i := range vals {
		vals[i] = r.value()
	}
	return vals, r.end()
}

// AppendResult appends a successful response carrying res to dst.
func AppendResult(dst []byte, res Result) []byte {
	dst = append(dst, Version, statusOK)
	dst = appendString(dst, res.Reason)
	dst = binary.LittleEndian.AppendUint32(dst, uint32(len(res.Calls)))
	for _, c := range res.Calls {
		dst = appendString(dst, c.Op)
		dst = binary.LittleEndian.AppendUint32(dst, uint32(len(c.Args)))
		for _, a := range c.Args {
			dst = appendValue(dst, a)
		}
	}
	return dst
}

// AppendError appends an error response carrying e to dst.
func AppendError(dst []byte, e Error) []byte {
	dst = append(dst, Version, statusError)
	dst = appendString(dst, e.Code)
	return appendString(dst, e.Message)
}

// DecodeResponse returns the result in b. When the guest reported an error
// the error is an *Error; when b breaks the format it wraps ErrFormat.
func DecodeResponse(b []byte) (Result, error) {
	r := reader{b: b}
	r.version()
	switch status := r.u8(); {
	case r.err != nil:
	case status == statusError:
		e := &Error{Code: r.str(), Message: r.str()}
		if err := r.end(); err != nil {
			return Result{}, err
		}
		return Result{}, e
	case status != statusOK:
		r.fail("unknown status " + strconv.Itoa(int(status)))
	}
	res := Result{Reason: r.str()}
	if n := r.count(); n > 0 {
		res.Calls = make([]Call, n)
	}
	for i := range res.Calls {
		res.Calls[i].Op = r.str()
		res.Calls[i].Args = make([]Value, r.count())
		for j := range res.Calls[i].Args {
			res.Calls[i].Args[j] = r.value()
		}
	}
	if err := r.end(); err != nil {
		return Result{}, err
	}
	return res, nil
}

func appendString(dst []byte, s string) []byte {
	dst = binary.LittleEndian.AppendUint32(dst, uint32(len(s)))
	return append(dst, s...)
}

func appendValue(dst []byte, v Value) []byte {
	dst = append(dst, byte(v.Kind))
	switch v.Kind {
	case Bool:
		if v.Bool {
			return append(dst, 1)
		}
		return append(dst, 0)
	case Number:
		return binary.LittleEndian.AppendUint64(dst, math.Float64bits(v.Num))
	case String:
		return appendString(dst, v.Str)
	}
	return dst
}

// reader decodes b from off. After the first error every read returns a zero
// value, so a decoder checks r.err (through end) once, at the end.
type reader struct {
	b      []byte
	off    int
	err    error
	shared bool // strings share b's memory (DecodeRequestShared)
}

func (r *reader) fail(msg string) {
	if r.err == nil {
		r.err = errors.Join(ErrFormat, errors.New("abi: "+msg+" at byte "+strconv.Itoa(r.off)))
	}
}

// take returns the next n bytes, or nil after recording an error.
func (r *reader) take(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > len(r.b)-r.off {
		r.fail("need " + strconv.Itoa(n) + " bytes, have " + strconv.Itoa(len(r.b)-r.off))
		return nil
	}
	p := r.b[r.off : r.off+n]
	r.off += n
	return p
}

func (r *reader) u8() byte {
	if p := r.take(1); p != nil {
		return p[0]
	}
	return 0
}

func (r *reader) u32() uint32 {
	if p := r.take(4); p != nil {
		return binary.LittleEndian.Uint32(p)
	}
	return 0
}

func (r *reader) version() {
	if v := r.u8(); r.err == nil && v != Version {
		r.fail("version " + strconv.Itoa(int(v)) + ", want " + strconv.Itoa(Version))
	}
}

// count reads an element count. Every element takes at least one byte, so a
// count larger than the bytes left is malformed; checking it here keeps a
// forged count from allocating gigabytes.
func (r *reader) count() int {
	n := r.u32()
	if r.err == nil && uint64(n) > uint64(len(r.b)-r.off) {
		r.fail("count " + strconv.FormatUint(uint64(n), 10) + " exceeds the bytes left")
		return 0
	}
	return int(n)
}

func (r *reader) str() string {
	n := r.u32()
	if r.err != nil || uint64(n) > uint64(len(r.b)-r.off) {
		r.fail("string of " + strconv.FormatUint(uint64(n), 10) + " bytes exceeds the bytes left")
		return ""
	}
	p := r.take(int(n))
	if !utf8.Valid(p) {
		r.fail("string is not UTF-8")
		return ""
	}
	if r.shared {
		return unsafe.String(unsafe.SliceData(p), len(p))
	}
	return string(p)
}

func (r *reader) value() Value {
	k := Kind(r.u8())
	switch k {
	case Missing, Null, Object, Array, Other:
		return Value{Kind: k}
	case Bool:
		switch r.u8() {
		case 0:
			return BoolValue(false)
		case 1:
			return BoolValue(true)
		}
		r.fail("bool byte is not 0 or 1")
	case Number:
		if p := r.take(8); p != nil {
			return NumberValue(math.Float64frombits(binary.LittleEndian.Uint64(p)))
		}
	case String:
		return StringValue(r.str())
	default:
		r.fail("unknown kind " + strconv.Itoa(int(k)))
	}
	return Value{}
}

// end returns the first error, or an error when bytes are left over.
func (r *reader) end() error {
	if r.err == nil && r.off != len(r.b) {
		r.fail(strconv.Itoa(len(r.b)-r.off) + " trailing bytes")
	}
	return r.err
}
