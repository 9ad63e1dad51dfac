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
	"strings"
)

// Client is what Publish needs of an npm client; NPM is the real one.
type Client interface {
	// Pack packs spec (a folder's absolute path, or name@version from the
	// registry) into the folder dest and returns the tarball's path.
	Pack(ctx context.Context, spec, dest string) (string, error)
	// Has reports whether the registry holds name@version.
	Has(ctx context.Context, name, version string) (bool, error)
	// Publish publishes a tarball under a dist-tag; access, when not empty,
	// is npm's --access.
	Publish(ctx context.Context, tarball, tag, access string) error
	// Registry returns the registry URL npm uses for the package name.
	Registry(ctx context.Context, name string) (string, error)
}

// NPM runs the npm command line client with the user's configuration.
type NPM struct {
	Bin    string    // the command; "npm" when empty
	Env    []string  // the whole environment; the process's own when nil
	Stderr io.Writer // npm's messages while publishing (its notices); dropped when nil
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
func (n NPM) run(ctx context.Context, stderr io.Writer, args ...string) ([]byte, error) {
	bin := n.Bin
	if bin == "" {
		bin = "npm"
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = n.Env
	var out, errOut bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &errOut
	if stderr != nil {
		cmd.Stderr = io.MultiWriter(&errOut, stderr)
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
		e.Summary = "npm is not on PATH: install Node.js with npm"
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

// Pack runs npm pack (scripts off, cache revalidated) into dest.
func (n NPM) Pack(ctx context.Context, spec, dest string) (string, error) {
	out, err := n.run(ctx, nil, "pack", spec, "--json", "--ignore-scripts", "--prefer-online", "--pack-destination", dest)
	if err != nil {
		return "", err
	}
	var packed []struct {
		Filename string `json:"filename"`
	}
	if err := json.Unmarshal(out, &packed); err != nil {
		return "", fmt.Errorf("npm pack %s: reading its JSON output: %w", spec, err)
	}
	if len(packed) != 1 || packed[0].Filename == "" || filepath.Base(packed[0].Filename) != packed[0].Filename {
		return "", fmt.Errorf("npm pack %s: want one tarball, got %s", spec, out)
	}
	return filepath.Join(dest, packed[0].Filename), nil
}

// Has asks the registry (not npm's cache) for name@version. npm answers
// E404 both for an unknown package and for an unknown version of it.
func (n NPM) Has(ctx context.Context, name, version string) (bool, error) {
	spec := name + "@" + version
	out, err := n.run(ctx, nil, "view", spec, "version", "--json", "--prefer-online")
	var e *Error
	if errors.As(err, &e) && e.Code == "E404" {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if len(bytes.TrimSpace(out)) == 0 {
		return false, nil
	}
	var got string
	if err := json.Unmarshal(out, &got); err != nil || got != version {
		return false, fmt.Errorf("npm view %s version: got %s, want %q", spec, bytes.TrimSpace(out), version)
	}
	return true, nil
}

// Publish runs npm publish on a tarball (scripts off).
func (n NPM) Publish(ctx context.Context, tarball, tag, access string) error {
	args := []string{"publish", tarball, "--tag", tag, "--ignore-scripts"}
	if access != "" {
		args = append(args, "--access", access)
	}
	_, err := n.run(ctx, n.Stderr, args...)
	return err
}

// Registry returns npm's registry for name: its scope's registry when the
// configuration sets one, else the default registry.
func (n NPM) Registry(ctx context.Context, name string) (string, error) {
	if scope, _, ok := strings.Cut(name, "/"); ok && strings.HasPrefix(scope, "@") {
		out, err := n.run(ctx, nil, "config", "get", scope+":registry")
		if err != nil {
			return "", err
		}
		if r := strings.TrimSpace(string(out)); r != "" && r != "undefined" {
			return r, nil
		}
	}
	out, err := n.run(ctx, nil, "config", "get", "registry")
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}
