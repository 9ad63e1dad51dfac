package npmpkg

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	testName    = "@scope/pkg"
	testVersion = "0.1.0-sha-0123456789abcdef"
)

func testTarget(t *testing.T, files map[string]string) Target {
	t.Helper()
	return namedTarget(t, testName, files)
}

func namedTarget(t *testing.T, name string, files map[string]string) Target {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "npm")
	writePackage(t, dir, name, testVersion, files)
	return Target{Name: name, Version: testVersion, Dir: dir}
}

// publish publishes one target.
func publish(reg Client, tg Target, tag, access string) (Result, error) {
	res, err := PublishAll(context.Background(), reg, []Target{tg}, tag, access)
	if len(res) != 1 {
		return Result{}, err
	}
	return res[0], err
}

// TestPublishAbsentPublishes: a version the registry lacks is published,
// with the tag and access asked for.
func TestPublishAbsentPublishes(t *testing.T) {
	reg := newFakeRegistry(t)
	tg := testTarget(t, map[string]string{"a.wasm": "aaa", "b.wasm": "bbb"})
	got, err := publish(reg, tg, "wasm-build", "public")
	require.NoError(t, err)
	assert.Equal(t, Result{Target: tg, Outcome: Published, Files: 3}, got)
	assert.Equal(t, []string{testName + "@" + testVersion + " wasm-build public"}, reg.published)
}

// TestPublishAgainIsNoOp: publishing the same files again publishes nothing.
func TestPublishAgainIsNoOp(t *testing.T) {
	reg := newFakeRegistry(t)
	tg := testTarget(t, map[string]string{"a.wasm": "aaa"})
	_, err := publish(reg, tg, "wasm-build", "")
	require.NoError(t, err)
	got, err := publish(reg, tg, "wasm-build", "")
	require.NoError(t, err)
	assert.Equal(t, Result{Target: tg, Outcome: AlreadyPublished, Files: 2}, got)
	assert.Len(t, reg.published, 1, "published twice")
}

// TestPublishReindentedPackageJSONIsSame: package.json is compared as JSON,
// so another npm's formatting of it is no difference.
func TestPublishReindentedPackageJSONIsSame(t *testing.T) {
	reg := newFakeRegistry(t)
	tg := testTarget(t, map[string]string{"a.wasm": "aaa"})
	reg.packages[tg.Spec()] = map[string][]byte{
		"a.wasm":       []byte("aaa"),
		"package.json": []byte("{\n  \"version\": \"" + testVersion + "\",\n  \"name\": \"" + testName + "\",\n  \"files\": [\"*.wasm\"]\n}\n"),
	}
	got, err := publish(reg, tg, "wasm-build", "")
	require.NoError(t, err)
	assert.Equal(t, AlreadyPublished, got.Outcome)
	assert.Empty(t, reg.published)
}

// TestPublishRefusesOtherContents: the registry's version differs (a file
// changed, one only in the registry, one only in the build): the error names
// each and nothing is published.
func TestPublishRefusesOtherContents(t *testing.T) {
	reg := newFakeRegistry(t)
	tg := testTarget(t, map[string]string{"a.wasm": "aaa", "new.wasm": "nnn"})
	_, err := publish(reg, tg, "wasm-build", "")
	require.NoError(t, err)
	published := reg.packages[tg.Spec()]
	published["a.wasm"] = []byte("aab")
	published["old.wasm"] = []byte("ooo")
	delete(published, "new.wasm")

	_, err = publish(reg, tg, "wasm-build", "")
	var conflict *ConflictError
	require.ErrorAs(t, err, &conflict)
	assert.Equal(t, []Difference{
		{"a.wasm", "contents differ"}, {"new.wasm", "only in build"}, {"old.wasm", "only in the registry"},
	}, conflict.Differences)
	assert.ErrorContains(t, err, "refusing to publish "+tg.Spec())
	assert.ErrorContains(t, err, "a.wasm (contents differ), new.wasm (only in build), old.wasm (only in the registry)")
	assert.Len(t, reg.published, 1, "published over the registry's version")
}

// TestPublishRefusesAFolderNotMatchingItsManifest: a package.json naming
// another version than the manifest's is a stale build.
func TestPublishRefusesAFolderNotMatchingItsManifest(t *testing.T) {
	reg := newFakeRegistry(t)
	tg := testTarget(t, map[string]string{"a.wasm": "aaa"})
	tg.Version = "0.1.0-sha-ffffffffffffffff"
	_, err := publish(reg, tg, "wasm-build", "")
	assert.ErrorContains(t, err, "build side")
	assert.ErrorContains(t, err, "run make wasm")
	assert.Empty(t, reg.published)
}

// TestPublishRegistryFailure: a registry that cannot answer stops the
// publish and the error says which side failed.
func TestPublishRegistryFailure(t *testing.T) {
	reg := newFakeRegistry(t)
	reg.fetchErr = &Error{Args: []string{"view"}, Code: "E401", Summary: "unauthorized", Err: errors.New("exit status 1")}
	_, err := publish(reg, testTarget(t, map[string]string{"a.wasm": "aaa"}), "wasm-build", "")
	assert.ErrorContains(t, err, "registry side")
	assert.ErrorContains(t, err, "E401: unauthorized")
	assert.Empty(t, reg.published)
}

// TestPublishNeedsATag: npm publishes a prerelease only with a dist-tag.
func TestPublishNeedsATag(t *testing.T) {
	reg := newFakeRegistry(t)
	_, err := publish(reg, testTarget(t, nil), "", "")
	assert.ErrorContains(t, err, "dist-tag")
	assert.Empty(t, reg.published)
}

// TestPublishAllChecksEveryPackageFirst: one package conflicting means none
// is published, and every conflict is named.
func TestPublishAllChecksEveryPackageFirst(t *testing.T) {
	reg := newFakeRegistry(t)
	a := namedTarget(t, "@scope/a", map[string]string{"a.wasm": "aaa"})
	b := namedTarget(t, "@scope/b", map[string]string{"b.wasm": "bbb"})
	c := namedTarget(t, "@scope/c", map[string]string{"c.wasm": "ccc"})
	reg.packages[b.Spec()] = map[string][]byte{"b.wasm": []byte("BBB")}
	reg.packages[c.Spec()] = map[string][]byte{"c.wasm": []byte("CCC")}
	_, err := PublishAll(context.Background(), reg, []Target{a, b, c}, "wasm-build", "")
	assert.ErrorContains(t, err, "refusing to publish "+b.Spec())
	assert.ErrorContains(t, err, "refusing to publish "+c.Spec())
	assert.Empty(t, reg.published, "published though another package conflicts")
}

// TestPublishAllPublishesWhatIsMissing: packages already there are left
// alone, the others published, results in the targets' order.
func TestPublishAllPublishesWhatIsMissing(t *testing.T) {
	reg := newFakeRegistry(t)
	a := namedTarget(t, "@scope/a", map[string]string{"a.wasm": "aaa"})
	b := namedTarget(t, "@scope/b", map[string]string{"b.wasm": "bbb"})
	_, err := publish(reg, b, "wasm-build", "")
	require.NoError(t, err)
	got, err := PublishAll(context.Background(), reg, []Target{a, b}, "wasm-build", "")
	require.NoError(t, err)
	assert.Equal(t, []Result{{Target: a, Outcome: Published, Files: 2}, {Target: b, Outcome: AlreadyPublished, Files: 2}}, got)
	assert.Equal(t, []string{b.Spec() + " wasm-build ", a.Spec() + " wasm-build "}, reg.published)
}
