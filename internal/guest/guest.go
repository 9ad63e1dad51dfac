// Package guest is the guest side of the ABI (internal/abi/ABI.md). An
// action's wasm entry calls Serve from init; the exports in exports_wasip1.go
// then route every request through Respond.
package guest

import (
	"strconv"

	"github.com/floatme/auth0-wasm-actions/internal/abi"
	"github.com/floatme/auth0-wasm-actions/internal/contract"
)

// Error codes the guest reports as data.
const (
	CodeBadRequest = "bad-request"
	CodePanic      = "panic"
	CodeNoAction   = "no-action" // Serve was never called
)

// Handler appends to dst[:0] the response bytes for the request req.
type Handler func(dst, req []byte) []byte

// served answers every request; set once, from init, by Serve or ServeRaw.
var served Handler = func(dst, _ []byte) []byte {
	return abi.AppendError(dst[:0], abi.Error{Code: CodeNoAction, Message: "the module serves no action"})
}

// Serve makes the module's exports run decide for an action with contract c.
func Serve(c contract.Contract, decide contract.Decider) {
	fields := len(c.Reads)
	ServeRaw(func(dst, req []byte) []byte { return Respond(dst, fields, decide, req) })
}

// ServeRaw makes the module's exports answer with h, which writes the
// response bytes itself. Test guests use it to break the ABI on purpose.
func ServeRaw(h Handler) { served = h }

// Respond appends to dst[:0] the response to req: decide's result, or an
// error response when req is malformed, has the wrong number of fields, or
// decide panics. It never panics itself. The values decide gets share req's
// memory (abi.DecodeRequestShared): req owns them, and dst must not be
// req.
func Respond(dst []byte, fields int, decide contract.Decider, req []byte) (out []byte) {
	dst = dst[:0]
	defer func() {
		if p := recover(); p != nil {
			out = abi.AppendError(dst[:0], abi.Error{Code: CodePanic, Message: panicMessage(p)})
		}
	}()
	vals, err := abi.DecodeRequestShared(req)
	if err != nil {
		return abi.AppendError(dst, abi.Error{Code: CodeBadRequest, Message: err.Error()})
	}
	if len(vals) != fields {
		msg := strconv.Itoa(len(vals)) + " fields, want " + strconv.Itoa(fields)
		return abi.AppendError(dst, abi.Error{Code: CodeBadRequest, Message: msg})
	}
	return abi.AppendResult(dst, decide(vals))
}

func panicMessage(p any) string {
	switch p := p.(type) {
	case error:
		return p.Error()
	case string:
		return p
	}
	return "panic with a value that is neither an error nor a string"
}
