package npmpkg

import (
	"archive/tar"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadTarballStripsThePackageFolder: files come back by their path in
// the package, folders skipped.
func TestReadTarballStripsThePackageFolder(t *testing.T) {
	file := filepath.Join(t.TempDir(), "p.tgz")
	writeTgz(t, file, map[string][]byte{"package.json": []byte("{}"), "lib/a.wasm": []byte("a")})
	got, err := ReadTarball(file)
	require.NoError(t, err)
	assert.Equal(t, map[string][]byte{"package.json": []byte("{}"), "lib/a.wasm": []byte("a")}, got)
}

// TestReadTarballRefusesOddEntries: paths outside the package folder,
// links and duplicates are errors, naming the entry.
func TestReadTarballRefusesOddEntries(t *testing.T) {
	for _, tc := range []struct {
		name string
		hdrs []tar.Header
		want string
	}{
		{"parent", []tar.Header{{Name: "../x", Typeflag: tar.TypeReg}}, `"../x"`},
		{"absolute", []tar.Header{{Name: "/package/x", Typeflag: tar.TypeReg}}, `"/package/x"`},
		{"no folder", []tar.Header{{Name: "x", Typeflag: tar.TypeReg}}, `"x"`},
		{"unclean", []tar.Header{{Name: "package/./x", Typeflag: tar.TypeReg}}, `"package/./x"`},
		{"symlink", []tar.Header{{Name: "package/x", Typeflag: tar.TypeSymlink, Linkname: "/etc/passwd"}}, "package/x: not a regular file"},
		{"twice", []tar.Header{{Name: "package/x", Typeflag: tar.TypeReg}, {Name: "package/x", Typeflag: tar.TypeReg}}, "package/x: appears twice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "p.tgz")
			writeRawTgz(t, file, func(tw *tar.Writer) {
				for _, h := range tc.hdrs {
					h.Mode = 0o644
					require.NoError(t, tw.WriteHeader(&h))
				}
			})
			_, err := ReadTarball(file)
			assert.ErrorContains(t, err, tc.want)
		})
	}
}

// TestDiff: byte comparison for files, JSON comparison for package.json.
func TestDiff(t *testing.T) {
	for _, tc := range []struct {
		name             string
		local, published map[string]string
		want             []Difference
	}{
		{"same", map[string]string{"a": "1"}, map[string]string{"a": "1"}, nil},
		{"one byte", map[string]string{"a": "1"}, map[string]string{"a": "2"}, []Difference{{"a", "contents differ"}}},
		{"extra local", map[string]string{"a": "1", "b": ""}, map[string]string{"a": "1"}, []Difference{{"b", "only in build"}}},
		{"extra published", map[string]string{}, map[string]string{"a": "1"}, []Difference{{"a", "only in the registry"}}},
		{"package.json formatting", map[string]string{"package.json": `{"a":1,"b":[1]}`},
			map[string]string{"package.json": "{\n  \"b\": [1],\n  \"a\": 1\n}\n"}, nil},
		{"package.json value", map[string]string{"package.json": `{"a":1}`}, map[string]string{"package.json": `{"a":2}`},
			[]Difference{{"package.json", "contents differ"}}},
		{"other json by bytes", map[string]string{"x.json": `{"a":1}`}, map[string]string{"x.json": `{ "a":1}`},
			[]Difference{{"x.json", "contents differ"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, Diff(bytesOf(tc.local), bytesOf(tc.published)))
		})
	}
}

func bytesOf(m map[string]string) map[string][]byte {
	out := map[string][]byte{}
	for k, v := range m {
		out[k] = []byte(v)
	}
	return out
}
