// Package npmpkg publishes the npm package the build writes (build/npm/):
// once per version, refusing a version the registry already holds with
// other contents. It talks to the registry only through the npm client, so
// the user's npm configuration (.npmrc, npm_config_*) decides where to.
package npmpkg

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"reflect"
	"slices"
	"strings"
)

// maxTarballBytes bounds what ReadTarball unpacks: far above any package the
// build writes, it only keeps a hostile tarball from filling memory.
const maxTarballBytes = 512 << 20

// ReadTarball returns the files of an npm tarball (.tgz), by their path
// inside the package (npm's leading "package/" folder removed).
func ReadTarball(file string) (map[string][]byte, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	files, err := readTarball(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return files, nil
}

func readTarball(r io.Reader) (map[string][]byte, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(zr)
	files := map[string][]byte{}
	total := int64(0)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return files, nil
		}
		if err != nil {
			return nil, err
		}
		if h.Typeflag == tar.TypeDir {
			continue
		}
		if h.Typeflag != tar.TypeReg {
			return nil, fmt.Errorf("%s: not a regular file (tar type %q)", h.Name, h.Typeflag)
		}
		name, err := packagePath(h.Name)
		if err != nil {
			return nil, err
		}
		if _, dup := files[name]; dup {
			return nil, fmt.Errorf("%s: appears twice", h.Name)
		}
		if total += h.Size; total > maxTarballBytes {
			return nil, fmt.Errorf("unpacks to more than %d bytes", maxTarballBytes)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", h.Name, err)
		}
		files[name] = data
	}
}

// packagePath strips the tarball's top folder ("package/" as npm packs it)
// and refuses paths that are not plain relative paths.
func packagePath(name string) (string, error) {
	clean := path.Clean(name)
	top, rest, ok := strings.Cut(clean, "/")
	if clean != name || !ok || top == "" || top == ".." {
		return "", fmt.Errorf("%q: not a file inside the package folder", name)
	}
	return rest, nil
}

// Difference is one file on which two packages differ.
type Difference struct {
	Path string
	What string // "contents differ", "only in build", "only in the registry"
}

func (d Difference) String() string { return d.Path + " (" + d.What + ")" }

// Diff compares the files of a local package with those of a published one
// and returns where they differ, sorted by path. package.json is compared as
// JSON (another npm may re-indent it when packing); every other file byte
// for byte.
func Diff(local, published map[string][]byte) []Difference {
	var out []Difference
	for name, data := range local {
		other, ok := published[name]
		switch {
		case !ok:
			out = append(out, Difference{name, "only in build"})
		case !sameFile(name, data, other):
			out = append(out, Difference{name, "contents differ"})
		}
	}
	for name := range published {
		if _, ok := local[name]; !ok {
			out = append(out, Difference{name, "only in the registry"})
		}
	}
	slices.SortFunc(out, func(a, b Difference) int { return strings.Compare(a.Path, b.Path) })
	return out
}

func sameFile(name string, a, b []byte) bool {
	if bytes.Equal(a, b) {
		return true
	}
	if name != "package.json" {
		return false
	}
	var ja, jb any
	if json.Unmarshal(a, &ja) != nil || json.Unmarshal(b, &jb) != nil {
		return false
	}
	return reflect.DeepEqual(ja, jb)
}
