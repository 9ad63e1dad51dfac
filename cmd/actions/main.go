// Command actions builds the actions and runs one on an event.
//
//	actions build [-dir build] [-compiler tinygo|go] [-compiler-command C] [-package-prefix P]
//	                                            build modules, bundles (npm packages with -compiler go) and manifest
//	actions run [-dir build] ACTION EVENT.json  run ACTION's built module on an event
//	actions publish [-dir build] [-tag wasm-build] [-access A] [-npm npm]
//	                                            npm publish the build's package, once per version
//	actions verify [-dir build] [-deploy deploy]
//	                                            compare the tenant with the build's manifest and deploy/'s bindings
//	actions smoke [-dir build] [-cases testdata] [-secrets FILE] [-action A,B]
//	                                            run the shared cases through the tenant's "test an action"
//	actions diff -base REV [-format text|markdown|json] [-events FILE] [-allow-weakening] [-cap N] [-action A,B] [-dir .]
//	                                            which logins a change turns from one answer into another; exit 1 when one drops a guarded call
//
// verify and smoke read the tenant named by AUTH0_DOMAIN with AUTH0_API_TOKEN,
// or AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET.
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
  actions build [-dir build] [-compiler tinygo|go] [-compiler-command C] [-package-prefix P]
  actions run [-dir build] ACTION EVENT.json
  actions publish [-dir build] [-tag wasm-build] [-access public|restricted] [-npm npm]
  actions verify [-dir build] [-deploy deploy]
  actions smoke [-dir build] [-cases testdata] [-secrets FILE] [-action A,B] [-parallel 2]
  actions diff -base REV [-format text|markdown|json] [-events FILE] [-allow-weakening] [-cap 200000] [-action A,B] [-dir .] [-compiler tinygo|go]`

func run(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	cmds := map[string]func(context.Context, *flag.FlagSet, []string, io.Writer) error{
		"build": cmdBuild, "run": cmdRun, "verify": cmdVerify, "smoke": cmdSmoke, "publish": cmdPublish,
		"diff": cmdDiff,
	}
	cmd, ok := cmds[args[0]]
	if !ok {
		return fmt.Errorf("unknown command %q\n%s", args[0], usage)
	}
	fs := flag.NewFlagSet(args[0], flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return cmd(ctx, fs, args[1:], stdout)
}

// parseNoArgs parses args into fs's flags and refuses anything after them.
func parseNoArgs(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return fmt.Errorf("%s takes no arguments, got %q", fs.Name(), fs.Args())
	}
	return nil
}
