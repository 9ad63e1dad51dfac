package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/floatme/auth0-wasm-actions/actions"
	"github.com/floatme/auth0-wasm-actions/internal/abi"
	"github.com/floatme/auth0-wasm-actions/internal/contract"
	"github.com/floatme/auth0-wasm-actions/internal/event"
	"github.com/floatme/auth0-wasm-actions/internal/host"
)

// cmdRun runs one action's built module on an event file and prints what the
// shim would do: the fields read, the decision, the reason and the calls.
func cmdRun(ctx context.Context, fs *flag.FlagSet, args []string, stdout io.Writer) (err error) {
	dir := fs.String("dir", "build", "build folder")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return errors.New("run needs ACTION and EVENT.json")
	}
	a, ok := actions.Named(fs.Arg(0))
	if !ok {
		return fmt.Errorf("unknown action %q", fs.Arg(0))
	}
	wasmPath := filepath.Join(*dir, a.Contract.Action+".wasm")
	wasm, err := os.ReadFile(wasmPath)
	if err != nil {
		return fmt.Errorf("%w (run make wasm)", err)
	}
	data, err := os.ReadFile(fs.Arg(1))
	if err != nil {
		return err
	}
	ev, err := event.Parse(data)
	if err != nil {
		return fmt.Errorf("%s: %w", fs.Arg(1), err)
	}
	mod, err := host.Load(ctx, wasm, a.Contract)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, mod.Close(ctx)) }()
	out := mod.Run(ctx, ev)
	fmt.Fprintf(stdout, "action    %s (%s)\n", a.Contract.Action, wasmPath)
	for _, path := range a.Contract.Reads {
		fmt.Fprintf(stdout, "read      %s = %s\n", path, describe(path, ev))
	}
	fmt.Fprintf(stdout, "decision  %s\nreason    %s\n", out.Decision, out.Reason)
	if out.Failure != nil {
		fmt.Fprintf(stdout, "failure   %s\n", out.Failure)
	}
	if len(out.Calls) == 0 {
		fmt.Fprintln(stdout, "calls     none")
	}
	for _, c := range out.Calls {
		fmt.Fprintf(stdout, "call      api.%s(%s)\n", c.Op, formatArgs(c.Args))
	}
	return nil
}

// describe shows the field of ev at path; a secret shows only whether it is
// set (a non-empty string), never its value or its length.
func describe(path string, ev any) string {
	v, err := event.Field(ev, path)
	switch {
	case err != nil:
		return event.IllFormedShown
	case !strings.HasPrefix(path, contract.SecretsPrefix):
		return formatArgs([]abi.Value{v})
	}
	return contract.ShowSecret(v)
}

func formatArgs(vals []abi.Value) string {
	parts := make([]string, len(vals))
	for i, v := range vals {
		switch v.Kind {
		case abi.String:
			parts[i] = strconv.Quote(v.Str)
		case abi.Bool:
			parts[i] = strconv.FormatBool(v.Bool)
		case abi.Number:
			parts[i] = strconv.FormatFloat(v.Num, 'g', -1, 64)
		default:
			parts[i] = "(" + v.Kind.String() + ")"
		}
	}
	return strings.Join(parts, ", ")
}
