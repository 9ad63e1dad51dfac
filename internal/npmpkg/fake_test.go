package npmpkg

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// fakeRegistry is a Client that packs folders as npm does (a .tgz with a
// package/ folder) and keeps published packages in memory.
type fakeRegistry struct {
	t         *testing.T
	packages  map[string]map[string][]byte // name@version → files
	published []string                     // name@version tag access, in order
	fetchErr  error
}

func newFakeRegistry(t *testing.T) *fakeRegistry {
	return &fakeRegistry{t: t, packages: map[string]map[string][]byte{}}
}

func (f *fakeRegistry) Pack(_ context.Context, dirs []string, dest string) ([]string, error) {
	var out []string
	for i, dir := range dirs {
		require.True(f.t, filepath.IsAbs(dir), "Pack(%q): want an absolute path", dir)
		file := filepath.Join(dest, fmt.Sprintf("local-%d.tgz", i))
		writeTgz(f.t, file, readDir(f.t, dir))
		out = append(out, file)
	}
	return out, nil
}

func (f *fakeRegistry) Fetch(_ context.Context, name, version, dest string) (string, bool, error) {
	if f.fetchErr != nil {
		return "", false, f.fetchErr
	}
	files, ok := f.packages[name+"@"+version]
	if !ok {
		return "", false, nil
	}
	file := filepath.Join(dest, "published.tgz")
	writeTgz(f.t, file, files)
	return file, true, nil
}

func (f *fakeRegistry) Publish(_ context.Context, tarball, tag, access string) error {
	files, err := ReadTarball(tarball)
	require.NoError(f.t, err)
	var pj struct{ Name, Version string }
	require.NoError(f.t, json.Unmarshal(files["package.json"], &pj))
	f.packages[pj.Name+"@"+pj.Version] = files
	f.published = append(f.published, fmt.Sprintf("%s@%s %s %s", pj.Name, pj.Version, tag, access))
	return nil
}

func (f *fakeRegistry) Registries(_ context.Context, names []string) (map[string]string, error) {
	out := map[string]string{}
	for _, n := range names {
		out[n] = "http://fake/"
	}
	return out, nil
}

// readDir returns the regular files under dir by their slash paths.
func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	require.NoError(t, filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, rerr := filepath.Rel(dir, p)
		require.NoError(t, rerr)
		files[filepath.ToSlash(rel)] = data
		return err
	}))
	return files
}

// writeTgz writes files as an npm tarball: every path under package/.
func writeTgz(t *testing.T, file string, files map[string][]byte) {
	t.Helper()
	writeRawTgz(t, file, func(tw *tar.Writer) {
		names := make([]string, 0, len(files))
		for name := range files {
			names = append(names, name)
		}
		slices.Sort(names)
		for _, name := range names {
			require.NoError(t, tw.WriteHeader(&tar.Header{Name: "package/" + name, Mode: 0o644, Size: int64(len(files[name])), Typeflag: tar.TypeReg}))
			_, err := tw.Write(files[name])
			require.NoError(t, err)
		}
	})
}

// writeRawTgz writes a gzipped tar whose entries fill writes.
func writeRawTgz(t *testing.T, file string, fill func(*tar.Writer)) {
	t.Helper()
	f, err := os.Create(file)
	require.NoError(t, err)
	zw := gzip.NewWriter(f)
	tw := tar.NewWriter(zw)
	fill(tw)
	require.NoError(t, tw.Close())
	require.NoError(t, zw.Close())
	require.NoError(t, f.Close())
}

// writePackage writes a package folder: package.json naming spec's name and
// version, and the given files.
func writePackage(t *testing.T, dir, name, version string, files map[string]string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(dir, 0o755))
	pj := fmt.Sprintf(`{"name": %q, "version": %q, "files": ["*.wasm"]}`, name, version)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "package.json"), []byte(pj), 0o644))
	for name, data := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644))
	}
}
