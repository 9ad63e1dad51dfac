// Package guest is the guest side of the ABI (internal/abi/ABI.md). An
// action's wasm entry calls Serve from init; the exports in exports_wasip1.go
// then route every request through Respond.
package guest

import (
	"strconv"

	"github.com/floatme/auth0-wasm-actions/internal/abi"
	"github.com/floatme/auth0-wasm-actions/internal/contract"
)

// Decider is an action's pure decision: the fields of its contract's Reads,
// in order, to a result.
type Decider func([]abi.Value) abi.Result

// Error codes the guest reports as data.
const (
	CodeBadRequest = "bad-request"
	CodePanic      = "panic"
	CodeNoAction   = "no-action" // Serve was never called
)

// served is the action this module serves; set once, by Serve, from init.
var served struct {
	fields int
	decide Decider
}

// Serve makes the module's exports run decide for an action with contract c.
func Serve(c contract.Contract, decide Decider) {
	served.fields, served.decide = len(c.Reads), decide
}

// Respond appends to dst[:0] the response to req: decide's result, or an
// error response when req is malformed, has the wrong number of fields, or
// decide panics. It never panics itself.
func Respond(dst []byte, fields int, decide Decider, req []byte) (out []byte) {
	dst = dst[:0]
	defer func() {
		if p := recover(); p != nil {
			out = abi.AppendError(dst[:0], abi.Error{Code: CodePanic, Message: panicMessage(p)})
		}
	}()
	if decide == nil {
		return abi.AppendError(dst, abi.Error{Code: CodeNoAction, Message: "the module serves no action"})
	}
	vals, err := abi.DecodeRequest(req)
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
