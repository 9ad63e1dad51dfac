package npmpkg

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Target is a package folder to publish, with the name and version the
// build's manifest gives it.
type Target struct {
	Name    string
	Version string
	Dir     string
}

// Spec is name@version.
func (t Target) Spec() string { return t.Name + "@" + t.Version }

// Outcome is what Publish did.
type Outcome int

const (
	// Published: the registry did not have the version; now it does.
	Published Outcome = iota + 1
	// AlreadyPublished: the registry has the version with the same files.
	AlreadyPublished
)

// Result is what Publish did and with how many files.
type Result struct {
	Outcome Outcome
	Files   int
}

// ConflictError is a version the registry already holds with other files.
type ConflictError struct {
	Spec        string
	Differences []Difference
}

func (e *ConflictError) Error() string {
	parts := make([]string, len(e.Differences))
	for i, d := range e.Differences {
		parts[i] = d.String()
	}
	return fmt.Sprintf("refusing to publish %s: the registry already holds this version with other contents: %s. "+
		"A published version cannot change; publish a build of the source that published it (nothing to do), "+
		"or a build whose version differs", e.Spec, strings.Join(parts, ", "))
}

// Publish publishes the folder t.Dir as t.Name@t.Version under the dist-tag
// tag, unless the registry already holds that version: then it compares
// the two file by file and returns AlreadyPublished when they are the same,
// a *ConflictError naming the differing files when not. What is compared
// and what is published is the one tarball npm packed from t.Dir.
func Publish(ctx context.Context, c Client, t Target, tag, access string) (res Result, err error) {
	if tag == "" {
		return Result{}, errors.New("publish needs a dist-tag (-tag): npm publishes prerelease versions only with one")
	}
	dir, err := filepath.Abs(t.Dir)
	if err != nil {
		return Result{}, err
	}
	tmp, err := os.MkdirTemp("", "npmpkg-publish-")
	if err != nil {
		return Result{}, err
	}
	defer func() { err = errors.Join(err, os.RemoveAll(tmp)) }()
	local, err := packFiles(ctx, c, dir, filepath.Join(tmp, "build"))
	if err != nil {
		return Result{}, fmt.Errorf("packing %s (build side): %w", t.Dir, err)
	}
	if err := checkIdentity(local.files, t); err != nil {
		return Result{}, fmt.Errorf("packing %s (build side): %w (run make wasm)", t.Dir, err)
	}
	has, err := c.Has(ctx, t.Name, t.Version)
	if err != nil {
		return Result{}, fmt.Errorf("asking the registry for %s (registry side): %w", t.Spec(), err)
	}
	if !has {
		if err := c.Publish(ctx, local.tarball, tag, access); err != nil {
			return Result{}, fmt.Errorf("publishing %s (registry side): %w", t.Spec(), err)
		}
		return Result{Outcome: Published, Files: len(local.files)}, nil
	}
	remote, err := packFiles(ctx, c, t.Spec(), filepath.Join(tmp, "registry"))
	if err != nil {
		return Result{}, fmt.Errorf("fetching the published %s (registry side): %w", t.Spec(), err)
	}
	if diffs := Diff(local.files, remote.files); len(diffs) > 0 {
		return Result{}, &ConflictError{Spec: t.Spec(), Differences: diffs}
	}
	return Result{Outcome: AlreadyPublished, Files: len(local.files)}, nil
}

type packed struct {
	tarball string
	files   map[string][]byte
}

// packFiles packs spec into the new folder dest and reads the tarball.
func packFiles(ctx context.Context, c Client, spec, dest string) (packed, error) {
	if err := os.Mkdir(dest, 0o755); err != nil {
		return packed{}, err
	}
	tarball, err := c.Pack(ctx, spec, dest)
	if err != nil {
		return packed{}, err
	}
	files, err := ReadTarball(tarball)
	if err != nil {
		return packed{}, err
	}
	return packed{tarball: tarball, files: files}, nil
}

// checkIdentity checks that a packed package.json names t's name and
// version.
func checkIdentity(files map[string][]byte, t Target) error {
	data, ok := files["package.json"]
	if !ok {
		return errors.New("the tarball has no package.json")
	}
	var pj struct{ Name, Version string }
	if err := json.Unmarshal(data, &pj); err != nil {
		return fmt.Errorf("package.json: %w", err)
	}
	if pj.Name != t.Name || pj.Version != t.Version {
		return fmt.Errorf("package.json says %s@%s, the manifest %s", pj.Name, pj.Version, t.Spec())
	}
	return nil
}
