package host_test

import (
	"encoding/binary"
	"encoding/hex"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/floatme/auth0-wasm-actions/actions/ipmeta"
	"github.com/floatme/auth0-wasm-actions/actions/mfa"
	"github.com/floatme/auth0-wasm-actions/internal/abi"
	"github.com/floatme/auth0-wasm-actions/internal/contract"
	fm "github.com/floatme/auth0-wasm-actions/internal/testguest/faultmode"
)

// responsesPerContract is how many random responses each contract gets
// per build; each goes through this host and, twice, through the shim.
const responsesPerContract = 1500

// TestDifferentialResponses: a swapped module's answers (random responses,
// most of them close to ones the contract allows, many with byte-order
// marks, invalid UTF-8, other kinds or corrupted bytes) get the same verdict
// from the shim's decoder and contract check as from this host's
// abi.DecodeResponse and contract.Check: the same decision, reason, side
// and calls, and for a refusal the same words.
func TestDifferentialResponses(t *testing.T) {
	firstField := map[string]string{mfa.Contract.Action: `{"tenant": {"id": "%s"}}`, ipmeta.Contract.Action: `{"request": {"ip": "%s"}}`}
	eachBuild(t, func(t *testing.T, b *build) {
		for _, c := range []contract.Contract{mfa.Contract, ipmeta.Contract} {
			t.Run(c.Action, func(t *testing.T) {
				r := rand.New(rand.NewPCG(1, uint64(len(c.Action))))
				files := make([][]byte, responsesPerContract)
				for i := range files {
					echo := fm.EchoResponse + hex.EncodeToString(randomResponse(r, c))
					files[i] = []byte(strings.Replace(firstField[c.Action], "%s", echo, 1))
				}
				bundle := filepath.Join(b.folder, "faults", "faulty_"+c.Action+".js")
				differential(t, load(t, c.Action, b.faulty), bundle, files)
			})
		}
	})
}

// responseWriter builds response bytes, strings as any bytes.
type responseWriter []byte

func (w *responseWriter) u8(b byte)    { *w = append(*w, b) }
func (w *responseWriter) u32(n uint32) { *w = binary.LittleEndian.AppendUint32(*w, n) }
func (w *responseWriter) str(s string) { w.u32(uint32(len(s))); *w = append(*w, s...) }
func (w *responseWriter) number(f float64) {
	*w = binary.LittleEndian.AppendUint64(*w, math.Float64bits(f))
}

// disguises turn a string into one that looks like it to a careless
// decoder or comparison.
var disguises = []func(string) string{
	func(s string) string { return "\ufeff" + s },
	func(s string) string { return s + "\x00" },
	func(s string) string { return strings.ToUpper(s) },
	func(s string) string { return s + "\xff" },
	func(s string) string { return "\xc0\xaf" + s },     // an overlong '/'
	func(s string) string { return s + "\xed\xa0\x80" }, // an encoded surrogate
	func(s string) string { return "\ufffd" + s },
	func(s string) string { return s + "\u200b" },
	func(s string) string { return " " + s },
	func(string) string { return "" },
}

// pick returns one of xs.
func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// maybeDisguise returns s, or one time in eight a disguise of it.
func maybeDisguise(r *rand.Rand, s string) string {
	if r.IntN(8) == 0 {
		return pick(r, disguises)(s)
	}
	return s
}

// randomResponse returns a response for c: usually a reason of c's with
// its calls close to the ones it takes, sometimes an error response or a
// bad version or status, and one time in ten with a byte changed, cut or
// added.
func randomResponse(r *rand.Rand, c contract.Contract) []byte {
	var w responseWriter
	version := byte(abi.Version)
	if r.IntN(20) == 0 {
		version = pick(r, []byte{0, 2, 255})
	}
	w.u8(version)
	switch r.IntN(20) {
	case 0:
		w.u8(1)
		w.str(maybeDisguise(r, "panic"))
		w.str(maybeDisguise(r, "a message"))
	case 1:
		w.u8(byte(2 + r.IntN(254)))
	default:
		w.u8(0)
		writeResult(&w, r, c)
	}
	return corrupt(r, w)
}

func writeResult(w *responseWriter, r *rand.Rand, c contract.Contract) {
	o := pick(r, c.Outcomes)
	w.str(maybeDisguise(r, pick(r, []string{o.Reason, o.Reason, o.Reason, "because"})))
	specs := o.Calls
	if r.IntN(4) == 0 {
		specs = pick(r, c.Outcomes).Calls
	}
	n := len(specs)
	if r.IntN(5) == 0 {
		n = r.IntN(4)
	}
	w.u32(uint32(n))
	for i := range n {
		spec := contract.CallSpec{Op: pick(r, []string{contract.OpMultifactorEnable, contract.OpSetAppMetadata, contract.OpSetUserMetadata})}
		if i < len(specs) {
			spec = specs[i]
		}
		writeCall(w, r, spec)
	}
}

func writeCall(w *responseWriter, r *rand.Rand, spec contract.CallSpec) {
	w.str(maybeDisguise(r, spec.Op))
	n := len(spec.Args)
	if r.IntN(6) == 0 {
		n = r.IntN(4)
	}
	w.u32(uint32(n))
	for i := range n {
		arg := contract.ArgSpec{Kind: abi.Kind(r.IntN(8))}
		if i < len(spec.Args) && r.IntN(6) != 0 {
			arg = spec.Args[i]
		}
		writeValue(w, r, arg)
	}
}

// writeValue writes a value near what arg allows: its kind, one of its
// values, a string at its length limit or one byte past it.
func writeValue(w *responseWriter, r *rand.Rand, arg contract.ArgSpec) {
	w.u8(byte(arg.Kind))
	switch arg.Kind {
	case abi.Bool:
		w.u8(pick(r, []byte{0, 1, 1, 2}))
	case abi.Number:
		w.number(pick(r, []float64{0, math.Copysign(0, -1), 1, math.NaN(), math.Inf(1)}))
	case abi.String:
		s := pick(r, []string{"any", "sms", "auth_require_mfa", "uses_new_mfa_action", "last_ip", "203.0.113.7", "2001:db8::1"})
		if len(arg.OneOf) > 0 && r.IntN(2) == 0 {
			s = pick(r, arg.OneOf).Str
		}
		if arg.MaxLen > 0 && r.IntN(4) == 0 {
			s = strings.Repeat("1", arg.MaxLen+r.IntN(2))
		}
		w.str(maybeDisguise(r, s))
	}
}

// corrupt changes one byte of w, cuts it or adds a byte, one time in ten.
func corrupt(r *rand.Rand, w responseWriter) []byte {
	if len(w) == 0 || r.IntN(10) != 0 {
		return w
	}
	switch at := r.IntN(len(w)); r.IntN(3) {
	case 0:
		w[at] ^= byte(1 + r.IntN(255))
	case 1:
		w = w[:at]
	default:
		w = append(w, byte(r.IntN(256)))
	}
	return w
}
