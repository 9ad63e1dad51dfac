// Package host runs an action's module under wazero through the ABI in
// internal/abi/ABI.md, applying the same contract check and failure policy as
// the shim. Tests and the actions command use it.
package host

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
	"github.com/tetratelabs/wazero/sys"

	"github.com/floatme/auth0-wasm-actions/internal/abi"
	"github.com/floatme/auth0-wasm-actions/internal/contract"
	"github.com/floatme/auth0-wasm-actions/internal/event"
)

// Failure reasons; the shim logs the same ones.
const (
	ReasonModuleLoad  = "module-load"  // the module could not be compiled or started
	ReasonBadEvent    = "bad-event"    // the event's fields cannot be sent: one has no ABI form, or they exceed abi.MaxRequest
	ReasonGuestTrap   = "guest-trap"   // a trap, or proc_exit, during a call
	ReasonGuestError  = "guest-error"  // the guest answered with an error
	ReasonBadResponse = "bad-response" // the guest's answer breaks the ABI
	ReasonForbidden   = "forbidden"    // the contract does not allow the result
)

// Failure says why the host could not use the guest's answer, and which side
// failed: "host" or "guest".
type Failure struct {
	Reason string
	Side   string
	Detail string
	output guestOutput // what the guest wrote, raw; Run shows it scrubbed
}

func (f *Failure) Error() string { return f.Side + " failed (" + f.Reason + "): " + f.Detail }

func hostFailure(reason string, err error) *Failure {
	return &Failure{Reason: reason, Side: "host", Detail: err.Error()}
}

func guestFailure(reason, detail string) *Failure {
	return &Failure{Reason: reason, Side: "guest", Detail: detail}
}

// cache shares compiled code between the modules of one process.
var cache = wazero.NewCompilationCache()

// Module is one action's compiled module and, once used, its instance. It is
// not safe for concurrent use: the ABI allows one call at a time.
type Module struct {
	contract contract.Contract
	rt       wazero.Runtime
	compiled wazero.CompiledModule
	inst     *instance // nil before the first call and after a trap
	output   outputCapture
	starts   int
}

// Load compiles wasm for the action with contract c. The error is a *Failure.
func Load(ctx context.Context, wasm []byte, c contract.Contract) (*Module, error) {
	rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().WithCompilationCache(cache))
	if _, err := wasi_snapshot_preview1.Instantiate(ctx, rt); err != nil {
		return nil, errors.Join(hostFailure(ReasonModuleLoad, err), rt.Close(ctx))
	}
	compiled, err := rt.CompileModule(ctx, wasm)
	if err != nil {
		return nil, errors.Join(hostFailure(ReasonModuleLoad, err), rt.Close(ctx))
	}
	return &Module{contract: c, rt: rt, compiled: compiled}, nil
}

// Close releases the module and its instance.
func (m *Module) Close(ctx context.Context) error { return m.rt.Close(ctx) }

// Contract returns the contract the module was loaded with.
func (m *Module) Contract() contract.Contract { return m.contract }

// Instantiations counts the instances started so far: one, plus one after
// every trap.
func (m *Module) Instantiations() int { return m.starts }

// instance is a started module and the exports a decision calls, looked up
// once: wazero makes a new call engine, with its own stack, on every lookup.
type instance struct {
	mod                 api.Module
	inputBuffer, decide api.Function
}

func (m *Module) instance(ctx context.Context) (*instance, error) {
	if m.inst != nil {
		return m.inst, nil
	}
	m.starts++
	cfg := wazero.NewModuleConfig().WithName("").WithStartFunctions(abi.ExportInitialize).
		WithSysWalltime().WithSysNanotime().WithSysNanosleep().WithRandSource(rand.Reader).WithStdout(&m.output).WithStderr(&m.output)
	inst, err := m.rt.InstantiateModule(ctx, m.compiled, cfg)
	if err != nil {
		return nil, hostFailure(ReasonModuleLoad, err)
	}
	fns := map[string]api.Function{}
	for _, name := range []string{abi.ExportVersion, abi.ExportInputBuffer, abi.ExportDecide} {
		if fns[name] = inst.ExportedFunction(name); fns[name] == nil {
			return nil, errors.Join(hostFailure(ReasonModuleLoad, errors.New("module does not export "+name)), inst.Close(ctx))
		}
	}
	v, err := fns[abi.ExportVersion].Call(ctx)
	if err != nil || v[0] != abi.Version {
		return nil, errors.Join(hostFailure(ReasonModuleLoad, errors.New("module does not speak ABI version "+strconv.Itoa(abi.Version))), err, inst.Close(ctx))
	}
	m.inst = &instance{mod: inst, inputBuffer: fns[abi.ExportInputBuffer], decide: fns[abi.ExportDecide]}
	return m.inst, nil
}

// Decide sends fields to the guest and returns its result, unchecked. The
// error is a *Failure.
func (m *Module) Decide(ctx context.Context, fields []abi.Value) (abi.Result, error) {
	req := abi.AppendRequest(nil, fields)
	if len(req) > abi.MaxRequest {
		return abi.Result{}, hostFailure(ReasonBadEvent, fmt.Errorf("the fields take %d bytes, over the ABI's %d", len(req), abi.MaxRequest))
	}
	inst, err := m.instance(ctx)
	if err != nil {
		return abi.Result{}, err
	}
	resp, err := m.call(ctx, inst, req)
	if err != nil {
		return abi.Result{}, err
	}
	res, err := abi.DecodeResponse(resp)
	var gerr *abi.Error
	switch {
	case errors.As(err, &gerr):
		return abi.Result{}, guestFailure(ReasonGuestError, gerr.Code+": "+gerr.Message)
	case err != nil:
		return abi.Result{}, guestFailure(ReasonBadResponse, err.Error())
	}
	return res, nil
}

// call copies req into the guest, calls decide and copies the response out.
func (m *Module) call(ctx context.Context, inst *instance, req []byte) ([]byte, error) {
	ptr, err := m.invoke(ctx, inst, inst.inputBuffer, uint64(len(req)))
	switch {
	case err != nil:
		return nil, err
	case ptr == 0:
		return nil, guestFailure(ReasonGuestError, "input_buffer refused "+strconv.Itoa(len(req))+" bytes")
	case !inst.mod.Memory().Write(uint32(ptr), req):
		return nil, guestFailure(ReasonBadResponse, "input_buffer returned memory out of range")
	}
	packed, err := m.invoke(ctx, inst, inst.decide, uint64(len(req)))
	if err != nil {
		return nil, err
	}
	rp, rn := abi.SplitPacked(packed)
	view, ok := inst.mod.Memory().Read(rp, rn)
	if !ok {
		return nil, guestFailure(ReasonBadResponse, "response out of memory range")
	}
	return append([]byte(nil), view...), nil
}

// invoke calls one export. After a trap or proc_exit the instance is
// discarded, and the next call starts a new one.
func (m *Module) invoke(ctx context.Context, inst *instance, fn api.Function, arg uint64) (uint64, error) {
	m.output.reset()
	out, err := fn.Call(ctx, arg)
	if err == nil {
		return out[0], nil
	}
	m.inst = nil
	closeErr := inst.mod.Close(ctx)
	detail, _, _ := strings.Cut(err.Error(), "\n") // not wazero's stack trace
	if exit := (*sys.ExitError)(nil); errors.As(err, &exit) {
		detail = "exited with code " + strconv.FormatUint(uint64(exit.ExitCode()), 10)
	}
	f := guestFailure(ReasonGuestTrap, detail)
	f.output = m.output.output()
	return 0, errors.Join(f, closeErr)
}

// Outcome is what the host does for one event: the calls it makes, the
// reason and decision it logs, and the failure when it fell back.
type Outcome struct {
	Reason   string
	Decision string
	Calls    []abi.Call
	Failure  *Failure
}

// Run decides for ev, an event from event.Parse, and applies the contract:
// a result it does not allow, or any failure, gives the fallback calls. A
// field with no ABI form is a bad event, as in the shim. The failure's
// detail, with the first line the guest wrote, is scrubbed of ev's
// secrets, as the shim's log line is.
func (m *Module) Run(ctx context.Context, ev any) Outcome {
	var decision string
	var res abi.Result
	fields, err := event.Fields(ev, m.contract.Reads)
	if err != nil {
		err = hostFailure(ReasonBadEvent, err)
	} else {
		res, err = m.Decide(ctx, fields)
	}
	if err == nil {
		var cerr error
		if decision, cerr = m.contract.Check(res); cerr != nil {
			err = guestFailure(ReasonForbidden, cerr.Error())
		}
	}
	if err != nil {
		f := (*Failure)(nil)
		if !errors.As(err, &f) {
			f = hostFailure(ReasonModuleLoad, err)
		}
		shown := &Failure{Reason: f.Reason, Side: f.Side, Detail: scrub(f.Detail, f.output, ev)}
		return Outcome{Reason: f.Reason, Decision: "fallback", Calls: m.contract.Fallback, Failure: shown}
	}
	return Outcome{Reason: res.Reason, Decision: decision, Calls: res.Calls}
}
