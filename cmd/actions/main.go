// Command actions builds the actions and runs one on an event.
//
//	actions build [-dir build]                  build modules, bundles and manifest
//	actions run [-dir build] ACTION EVENT.json  run ACTION's built module on an event
//	actions publish [-dir build] [-tag wasm-build] [-access A] [-npm npm]
//	                                            npm publish the build's package, once per version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "actions:", err)
		os.Exit(1)
	}
}

const usage = `usage:
  actions build [-dir build]
  actions run [-dir build] ACTION EVENT.json
  actions publish [-dir build] [-tag wasm-build] [-access public|restricted] [-npm npm]`

func run(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	cmds := map[string]func(context.Context, *flag.FlagSet, []string, io.Writer) error{
		"build": cmdBuild, "run": cmdRun, "publish": cmdPublish,
	}
	cmd, ok := cmds[args[0]]
	if !ok {
		return fmt.Errorf("unknown command %q\n%s", args[0], usage)
	}
	fs := flag.NewFlagSet(args[0], flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return cmd(ctx, fs, args[1:], stdout)
}
