package diff

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/floatme/auth0-wasm-actions/internal/contract"
)

// Action is one action as a revision's own source declares it.
type Action struct {
	Contract contract.Contract
	Main     string // the Go package of its wasm entry
}

// printerPkg is where the contract printer appears in a source tree, through
// go's -overlay only: no file is written into the tree.
const printerPkg = "internal/actionsdiffprint"

// printer prints the actions list (actions.All) of the module it is
// compiled in as JSON. %s is the module's path.
const printer = `package main

import (
	"encoding/json"
	"os"

	"%s/actions"
)

func main() {
	type entry struct {
		Contract any
		Main     string
	}
	out := []entry{}
	for _, a := range actions.All {
		out = append(out, entry{a.Contract, a.Main})
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		panic(err)
	}
}
`

// readActions returns the actions list of the source tree at src, which
// label names in errors, by compiling and running a small program against it
// with go run -overlay.
func readActions(ctx context.Context, src, label, scratch string) ([]Action, error) {
	if _, err := os.Stat(filepath.Join(src, "actions", "actions.go")); err != nil {
		return nil, fmt.Errorf("%s has no actions/actions.go, so no actions to compare: pick a revision that has them (git log -- actions/actions.go)", label)
	}
	module, err := modulePath(src)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", label, err)
	}
	overlay, err := writeOverlay(src, module, scratch)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, "go", "run", "-overlay", overlay, "./"+printerPkg)
	cmd.Dir = src
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=readonly")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s: reading its actions list (actions.All with Contract and Main) failed; does that revision build? (go build ./... there): %w\n%s", label, err, stderr.Bytes())
	}
	var all []Action
	if err := json.Unmarshal(out, &all); err != nil {
		return nil, fmt.Errorf("%s: its actions list does not read as contracts: %w", label, err)
	}
	return all, nil
}

// writeOverlay writes the printer and the overlay file that places it in src
// into scratch, and returns the overlay file's path.
func writeOverlay(src, module, scratch string) (string, error) {
	abs, err := filepath.Abs(src)
	if err != nil {
		return "", err
	}
	file := filepath.Join(scratch, "printer.go")
	if err := os.WriteFile(file, fmt.Appendf(nil, printer, module), 0o644); err != nil {
		return "", err
	}
	overlay, err := json.Marshal(map[string]any{"Replace": map[string]string{
		filepath.Join(abs, printerPkg, "main.go"): file,
	}})
	if err != nil {
		return "", err
	}
	path := filepath.Join(scratch, "overlay.json")
	return path, os.WriteFile(path, overlay, 0o644)
}

// modulePath returns the module path that src's go.mod declares.
func modulePath(src string) (string, error) {
	data, err := os.ReadFile(filepath.Join(src, "go.mod"))
	if err != nil {
		return "", fmt.Errorf("no go.mod, so not a revision of this Go module: pick one that has go.mod: %w", err)
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "module "); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`), nil
		}
	}
	return "", errors.New("go.mod has no module line")
}
