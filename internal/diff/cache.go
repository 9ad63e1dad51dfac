package diff

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/floatme/auth0-wasm-actions/internal/abi"
	"github.com/floatme/auth0-wasm-actions/internal/bundle"
)

// cache keeps built sides in dir by what decides their bundles and
// constants: the git tree of the source and the compiler's version. A pull
// request's pushes share their base's build, and the tests share theirs. A
// working tree with uncommitted changes is never cached.
type cache struct {
	dir, compiler string
}

// cached is what the cache keeps of a side beside its build folder.
type cached struct {
	Actions   []Action    `json:"actions"`
	Constants []abi.Value `json:"constants"`
}

// entry returns the folder of tree's side.
func (c cache) entry(tree string) string {
	sum := sha256.Sum256([]byte(tree + "\x00" + c.compiler))
	return filepath.Join(c.dir, hex.EncodeToString(sum[:16]))
}

// load returns tree's side from the cache, with src's cases, and false
// when the cache has none. An entry that does not read back whole (its
// bundles are checked against their manifest's hashes) is removed, to be
// built again.
func (c cache) load(tree, src, label string) (*side, bool) {
	if c.dir == "" || tree == "" {
		return nil, false
	}
	dir := c.entry(tree)
	data, err := os.ReadFile(filepath.Join(dir, "side.json"))
	if err != nil {
		return nil, false
	}
	var kept cached
	s := &side{label: label, build: filepath.Join(dir, "build")}
	err = json.Unmarshal(data, &kept)
	if err == nil {
		s.actions, s.constants = kept.Actions, kept.Constants
		s.manifest, err = bundle.ReadManifest(s.build)
	}
	if err == nil {
		err = s.checkBundles()
	}
	if err != nil {
		_ = os.RemoveAll(dir) // rebuilt below; a failure to remove shows when storing
		return nil, false
	}
	return s, s.loadCases(src) == nil
}

// checkBundles returns an error when a bundle's bytes are not those its
// manifest names.
func (s *side) checkBundles() error {
	for _, a := range s.manifest.Actions {
		js, err := os.ReadFile(filepath.Join(s.build, a.Bundle))
		if err != nil {
			return err
		}
		if sum := sha256.Sum256(js); hex.EncodeToString(sum[:]) != a.SHA256 {
			return fmt.Errorf("%s: not the bundle its manifest names", a.Bundle)
		}
	}
	return nil
}

// workDir returns a new folder to build tree's side in: inside the cache
// (so that store can move it into place) when tree is cached, else in
// scratch.
func (c cache) workDir(tree, scratch string) (string, error) {
	if c.dir == "" || tree == "" {
		return scratch, os.MkdirAll(scratch, 0o755)
	}
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return "", fmt.Errorf("the diff cache %s: %w", c.dir, err)
	}
	return os.MkdirTemp(c.dir, "building-")
}

// store moves the side built in work into the cache as tree's, and points
// s at it there. An entry another diff stored meanwhile is kept, and work
// removed.
func (c cache) store(tree, work string, s *side) error {
	if c.dir == "" || tree == "" {
		return nil
	}
	data, err := json.Marshal(cached{Actions: s.actions, Constants: s.constants})
	if err == nil {
		err = os.WriteFile(filepath.Join(work, "side.json"), data, 0o644)
	}
	if err != nil {
		return errors.Join(err, os.RemoveAll(work))
	}
	dir := c.entry(tree)
	if err := os.Rename(work, dir); err != nil {
		if _, statErr := os.Stat(filepath.Join(dir, "side.json")); statErr != nil {
			return errors.Join(fmt.Errorf("storing in the diff cache: %w", err), os.RemoveAll(work))
		}
		if err := os.RemoveAll(work); err != nil { // another diff stored it first
			return err
		}
	}
	s.build = filepath.Join(dir, "build")
	s.manifest, err = bundle.ReadManifest(s.build)
	return err
}

// treeOf returns the git tree that decides the side at src: commit's tree,
// or, for the working tree (commit empty), HEAD's when nothing is changed
// or untracked; "" when it is not cacheable.
func treeOf(ctx context.Context, src, commit string) string {
	if commit == "" {
		if status, err := git(ctx, src, "status", "--porcelain"); err != nil || status != "" {
			return ""
		}
		commit = "HEAD"
	}
	tree, err := git(ctx, src, "rev-parse", commit+"^{tree}")
	if err != nil {
		return ""
	}
	return tree
}
