package npmpkg

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// Client is what PublishAll needs of an npm client; NPM is the real one.
type Client interface {
	// Pack packs package folders (absolute paths) into the folder dest and
	// returns their tarballs, in order.
	Pack(ctx context.Context, dirs []string, dest string) ([]string, error)
	// Fetch downloads name@version's tarball from the registry into the
	// folder dest; found is false when the registry has no such package or
	// no such version of it.
	Fetch(ctx context.Context, name, version, dest string) (tarball string, found bool, err error)
	// Publish publishes a tarball under a dist-tag; access, when not empty,
	// is npm's --access.
	Publish(ctx context.Context, tarball, tag, access string) error
	// Registries returns the registry URL npm uses for each package name.
	Registries(ctx context.Context, names []string) (map[string]string, error)
}

// NPM runs the npm command line client with the user's configuration.
type NPM struct {
	Bin    string    // the command; "npm" when empty
	Env    []string  // the whole environment; the process's own when nil
	Dir    string    // the working folder (npm reads a project .npmrc there); the process's when empty
	Stderr io.Writer // npm's messages while publishing (its notices); dropped when nil
	Stdin  io.Reader // npm publish's input (a one-time password prompt); none when nil
}

// Error is a failed npm command: its arguments, npm's error code (E404,
// ETARGET, E401, ...) when it gave one, and what it said.
type Error struct {
	Args    []string
	Code    string
	Summary string
	Err     error
}

func (e *Error) Error() string {
	msg := e.Summary
	if e.Code != "" {
		msg = e.Code + ": " + msg
	}
	return fmt.Sprintf("npm %s failed: %s (%v)", strings.Join(e.Args, " "), msg, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// run runs npm with args and returns its standard output. A failure is an
// *Error with the code and summary npm printed (as JSON with --json, or
// the last lines of its standard error).
func (n NPM) run(ctx context.Context, args ...string) ([]byte, error) {
	return n.runWith(ctx, nil, nil, args...)
}

// runWith is run with stdin as npm's input; with stderr not nil, npm's
// output goes there too, as it comes.
func (n NPM) runWith(ctx context.Context, stdin io.Reader, stderr io.Writer, args ...string) ([]byte, error) {
	bin := n.Bin
	if bin == "" {
		bin = "npm"
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env, cmd.Dir, cmd.Stdin = n.Env, n.Dir, stdin
	var out, errOut bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &errOut
	if stderr != nil { // npm talks to the user: a prompt goes to its stdout
		cmd.Stdout, cmd.Stderr = io.MultiWriter(&out, stderr), io.MultiWriter(&errOut, stderr)
	}
	err := cmd.Run()
	if err == nil {
		return out.Bytes(), nil
	}
	e := &Error{Args: args, Err: err}
	var j struct {
		Error struct{ Code, Summary string } `json:"error"`
	}
	if json.Unmarshal(out.Bytes(), &j) == nil && j.Error.Code+j.Error.Summary != "" {
		e.Code, e.Summary = j.Error.Code, j.Error.Summary
	} else {
		e.Summary = lastLines(errOut.String(), 5)
	}
	if errors.Is(err, exec.ErrNotFound) {
		e.Summary = bin + " is not on PATH: install Node.js with npm"
	}
	return nil, e
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}

// Fetch runs npm pack name@version (scripts off, npm's cache revalidated).
// npm says E404 for an unknown package, ETARGET for an unknown version.
func (n NPM) Fetch(ctx context.Context, name, version, dest string) (string, bool, error) {
	tarballs, err := n.Pack(ctx, []string{name + "@" + version}, dest)
	var e *Error
	if errors.As(err, &e) && (e.Code == "E404" || e.Code == "ETARGET") {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return tarballs[0], true, nil
}

// Pack runs npm pack on specs (package folders, or name@version for the
// registry's) into dest, scripts off, in one npm run, and returns the
// tarballs, in order.
func (n NPM) Pack(ctx context.Context, specs []string, dest string) ([]string, error) {
	args := append([]string{"pack"}, specs...)
	out, err := n.run(ctx, append(args, "--json", "--ignore-scripts", "--prefer-online", "--pack-destination", dest)...)
	if err != nil {
		return nil, err
	}
	var packed []struct {
		Filename string `json:"filename"`
	}
	if err := json.Unmarshal(out, &packed); err != nil {
		return nil, fmt.Errorf("npm pack: reading its JSON output: %w", err)
	}
	if len(packed) != len(specs) {
		return nil, fmt.Errorf("npm pack %s: want %d tarballs, got %s", strings.Join(specs, " "), len(specs), out)
	}
	tarballs := make([]string, len(packed))
	for i, p := range packed {
		if p.Filename == "" || filepath.Base(p.Filename) != p.Filename {
			return nil, fmt.Errorf("npm pack %s: tarball name %q", specs[i], p.Filename)
		}
		tarballs[i] = filepath.Join(dest, p.Filename)
	}
	return tarballs, nil
}

// Publish runs npm publish on a tarball (scripts off).
func (n NPM) Publish(ctx context.Context, tarball, tag, access string) error {
	args := []string{"publish", tarball, "--tag", tag, "--ignore-scripts"}
	if access != "" {
		args = append(args, "--access", access)
	}
	_, err := n.runWith(ctx, n.Stdin, n.Stderr, args...)
	return err
}

// Registries returns npm's registry for each name, in one npm run: its
// scope's registry when the configuration sets one, else the default one.
func (n NPM) Registries(ctx context.Context, names []string) (map[string]string, error) {
	keys := []string{"registry"}
	for _, name := range names {
		if scope := ScopeOf(name); scope != "" && !slices.Contains(keys, scope+":registry") {
			keys = append(keys, scope+":registry")
		}
	}
	out, err := n.run(ctx, append([]string{"config", "get"}, keys...)...)
	if err != nil {
		return nil, err
	}
	values := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok && v != "undefined" {
			values[k] = v
		}
	}
	if len(keys) == 1 { // one key: npm prints its value alone
		values["registry"] = strings.TrimSpace(string(out))
	}
	got := map[string]string{}
	for _, name := range names {
		got[name] = values["registry"]
		if r, ok := values[ScopeOf(name)+":registry"]; ok && ScopeOf(name) != "" {
			got[name] = r
		}
	}
	return got, nil
}

// ScopeOf returns a package name's @scope, or "" when it has none.
func ScopeOf(name string) string {
	if scope, _, ok := strings.Cut(name, "/"); ok && strings.HasPrefix(scope, "@") {
		return scope
	}
	return ""
}
