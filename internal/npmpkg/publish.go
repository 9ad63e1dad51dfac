package npmpkg

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
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

// Outcome is what PublishAll did with a target.
type Outcome int

const (
	// Published: the registry did not have the version; now it does.
	Published Outcome = iota + 1
	// AlreadyPublished: the registry has the version with the same files.
	AlreadyPublished
)

// Result is what PublishAll did with a target, and its number of files.
type Result struct {
	Target  Target
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

// PublishAll publishes each target under the dist-tag tag, as
// t.Name@t.Version from the folder t.Dir, unless the registry already holds
// that version: then it compares the two file by file and leaves the
// version alone when they are the same (AlreadyPublished). It checks every
// target before publishing any: when the registry holds a version with
// other files (a *ConflictError naming them) or a check fails, it publishes
// nothing and returns every such error. What is compared and what is
// published is the one tarball npm packed from t.Dir.
func PublishAll(ctx context.Context, c Client, targets []Target, tag, access string) (res []Result, err error) {
	if tag == "" {
		return nil, errors.New("publish needs a dist-tag (-tag): npm publishes prerelease versions only with one")
	}
	tmp, err := os.MkdirTemp("", "npmpkg-publish-")
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, os.RemoveAll(tmp)) }()
	tarballs, err := packAll(ctx, c, targets, filepath.Join(tmp, "build"))
	if err != nil {
		return nil, err
	}
	plans := make([]plan, len(targets))
	var errs []error
	for i, t := range targets {
		plans[i], err = check(ctx, c, t, tarballs[i], filepath.Join(tmp, strconv.Itoa(i)))
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for _, p := range plans {
		if p.outcome == Published {
			if err := c.Publish(ctx, p.tarball, tag, access); err != nil {
				return res, fmt.Errorf("publishing %s (registry side): %w; make publish again skips what was published", p.target.Spec(), err)
			}
		}
		res = append(res, Result{Target: p.target, Outcome: p.outcome, Files: p.files})
	}
	return res, nil
}

// packAll packs every target's folder into the new folder dest, in one npm
// run, and returns the tarballs in the targets' order.
func packAll(ctx context.Context, c Client, targets []Target, dest string) ([]string, error) {
	dirs := make([]string, len(targets))
	for i, t := range targets {
		abs, err := filepath.Abs(t.Dir)
		if err != nil {
			return nil, err
		}
		dirs[i] = abs
	}
	if err := os.Mkdir(dest, 0o755); err != nil {
		return nil, err
	}
	tarballs, err := c.Pack(ctx, dirs, dest)
	if err != nil {
		return nil, fmt.Errorf("packing %s (build side): %w", strings.Join(dirs, ", "), err)
	}
	return tarballs, nil
}

// plan is what publishing one target will do: Published means publish
// tarball.
type plan struct {
	target  Target
	tarball string
	files   int
	outcome Outcome
}

// check reads t's packed tarball and compares it with the registry's
// t.Name@t.Version, if there is one, fetched into the new folder dir.
func check(ctx context.Context, c Client, t Target, tarball, dir string) (plan, error) {
	files, err := ReadTarball(tarball)
	if err != nil {
		return plan{}, fmt.Errorf("packing %s (build side): %w", t.Dir, err)
	}
	if err := checkIdentity(files, t); err != nil {
		return plan{}, fmt.Errorf("packing %s (build side): %w (run make wasm)", t.Dir, err)
	}
	p := plan{target: t, tarball: tarball, files: len(files), outcome: Published}
	if err := os.Mkdir(dir, 0o755); err != nil {
		return plan{}, err
	}
	remote, found, err := c.Fetch(ctx, t.Name, t.Version, dir)
	if err != nil {
		return plan{}, fmt.Errorf("fetching %s from the registry (registry side): %w", t.Spec(), err)
	}
	if !found {
		return p, nil
	}
	published, err := ReadTarball(remote)
	if err != nil {
		return plan{}, fmt.Errorf("reading the published %s (registry side): %w", t.Spec(), err)
	}
	if diffs := Diff(files, published); len(diffs) > 0 {
		return plan{}, &ConflictError{Spec: t.Spec(), Differences: diffs}
	}
	p.outcome = AlreadyPublished
	return p, nil
}

// checkIdentity checks that a packed package.json names t's name and
// version.
func checkIdentity(files map[string][]byte, t Target) error {
	data, ok := files["package.json"]
	if !ok {
		return errors.New("the tarball has no package.json")
	}
	return checkPackageJSON(data, t)
}

// checkPackageJSON checks that a package.json names t's name and version.
func checkPackageJSON(data []byte, t Target) error {
	var pj struct{ Name, Version string }
	if err := json.Unmarshal(data, &pj); err != nil {
		return fmt.Errorf("package.json: %w", err)
	}
	if pj.Name != t.Name || pj.Version != t.Version {
		return fmt.Errorf("package.json says %s@%s, the manifest %s", pj.Name, pj.Version, t.Spec())
	}
	return nil
}
