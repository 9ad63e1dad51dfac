package npmpkg

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeNPM returns an NPM whose command prints out, records its arguments
// and exits with rc; args returns the arguments of its last run.
func fakeNPM(t *testing.T, out string, rc int) (NPM, func() string) {
	t.Helper()
	dir := t.TempDir()
	outFile, argsFile := filepath.Join(dir, "out"), filepath.Join(dir, "args")
	require.NoError(t, os.WriteFile(outFile, []byte(out), 0o644))
	script := "#!/bin/sh\necho \"$*\" > '" + argsFile + "'\ncat '" + outFile + "'\nexit " + strconv.Itoa(rc) + "\n"
	bin := filepath.Join(dir, "npm")
	require.NoError(t, os.WriteFile(bin, []byte(script), 0o755))
	return NPM{Bin: bin, Env: []string{"PATH=" + os.Getenv("PATH")}}, func() string {
		data, err := os.ReadFile(argsFile)
		require.NoError(t, err)
		return string(data)
	}
}

// TestRegistriesPerScope: a scope's registry when set, else the default,
// all in one npm run.
func TestRegistriesPerScope(t *testing.T) {
	npm, args := fakeNPM(t, "registry=https://r.example/\n@a:registry=https://a.example/\n@b:registry=undefined\n", 0)
	got, err := npm.Registries(context.Background(), []string{"@a/x", "@b/y", "z", "@a/w"})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"@a/x": "https://a.example/", "@b/y": "https://r.example/", "z": "https://r.example/", "@a/w": "https://a.example/"}, got)
	assert.Equal(t, "config get registry @a:registry @b:registry\n", args())
}

// TestRegistriesUnscoped: with one key npm prints the value alone.
func TestRegistriesUnscoped(t *testing.T) {
	npm, _ := fakeNPM(t, "https://r.example/\n", 0)
	got, err := npm.Registries(context.Background(), []string{"z"})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"z": "https://r.example/"}, got)
}

// TestFetchAbsent: npm's E404 (no package) and ETARGET (no version) mean
// not found; any other failure is an error carrying npm's code.
func TestFetchAbsent(t *testing.T) {
	for code, wantErr := range map[string]string{"E404": "", "ETARGET": "", "E401": "E401: nope"} {
		t.Run(code, func(t *testing.T) {
			npm, _ := fakeNPM(t, `{"error": {"code": "`+code+`", "summary": "nope"}}`, 1)
			file, found, err := npm.Fetch(context.Background(), "@a/x", "1.0.0", t.TempDir())
			assert.False(t, found)
			assert.Empty(t, file)
			if wantErr == "" {
				assert.NoError(t, err)
			} else {
				assert.ErrorContains(t, err, wantErr)
			}
		})
	}
}

// TestPackTarballs: npm pack's JSON names the tarballs, in order.
func TestPackTarballs(t *testing.T) {
	npm, args := fakeNPM(t, `[{"filename": "a-1.tgz"}, {"filename": "b-1.tgz"}]`, 0)
	got, err := npm.Pack(context.Background(), []string{"/p/a", "/p/b"}, "/out")
	require.NoError(t, err)
	assert.Equal(t, []string{"/out/a-1.tgz", "/out/b-1.tgz"}, got)
	assert.Equal(t, "pack /p/a /p/b --json --ignore-scripts --prefer-online --pack-destination /out\n", args())
}

// TestPackRefusesOddOutput: a count or name npm should not give is an error.
func TestPackRefusesOddOutput(t *testing.T) {
	for _, out := range []string{`[]`, `[{"filename": "../x.tgz"}]`, `not json`} {
		npm, _ := fakeNPM(t, out, 0)
		_, err := npm.Pack(context.Background(), []string{"/p/a"}, "/out")
		assert.Error(t, err, out)
	}
}

// TestMissingNPM: the error says to install npm.
func TestMissingNPM(t *testing.T) {
	npm := NPM{Bin: "no-such-npm-command"}
	_, err := npm.Registries(context.Background(), []string{"x"})
	assert.ErrorContains(t, err, "no-such-npm-command is not on PATH")
}
