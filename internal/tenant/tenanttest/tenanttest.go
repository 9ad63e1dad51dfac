// Package tenanttest sets up a local stand-in tenant (internal/mgmtstub)
// for tests and deploys the build to it through go-auth0, as the Terraform
// provider does: create each action, wait until it is built, deploy it,
// then bind each trigger's actions in manifest order.
package tenanttest

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/auth0/go-auth0/management"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/actions"
	"github.com/floatme/auth0-wasm-actions/internal/bundle"
	"github.com/floatme/auth0-wasm-actions/internal/cases"
	"github.com/floatme/auth0-wasm-actions/internal/mgmtstub"
	"github.com/floatme/auth0-wasm-actions/internal/tenant"
)

// Secrets returns the secret values the tests configure, by action and
// name: for each secret the contract of an action of actions.All reads, the
// value most of its shared cases hold (a case without it holds "": set but
// empty, which deploy/ leaves out), so that smoke runs most cases.
func Secrets(t testing.TB) map[string]map[string]string {
	t.Helper()
	out := map[string]map[string]string{}
	for _, a := range actions.All {
		cs, err := cases.Load(a.Contract.Action)
		require.NoError(t, err)
		names := a.Contract.Secrets()
		if len(names) == 0 {
			continue
		}
		out[a.Contract.Action] = map[string]string{}
		for _, name := range names {
			out[a.Contract.Action][name] = mostHeld(t, cs, name)
		}
	}
	return out
}

// mostHeld returns the value of the secret name most of cs hold (the
// least, as a string, of those held equally often); a case without it, or
// with no object of secrets, holds "".
func mostHeld(t testing.TB, cs []cases.Case, name string) string {
	require.NotEmpty(t, cs, "no shared case")
	counts := map[string]int{}
	for _, c := range cs {
		var ev struct {
			Secrets map[string]any `json:"secrets"`
		}
		_ = json.Unmarshal(c.Event, &ev) // an event of another shape holds no secret
		v, _ := ev.Secrets[name].(string)
		counts[v]++
	}
	best := ""
	for v, n := range counts {
		if n > counts[best] || (n == counts[best] && v < best) {
			best = v
		}
	}
	return best
}

// BuildDir returns the repository's build folder and its manifest, failing
// t (saying to run make wasm) when there is none.
func BuildDir(t testing.TB) (string, bundle.Manifest) {
	t.Helper()
	dir := filepath.Join(cases.RepoRoot(), cases.ShippedBuild)
	m, err := tenant.LoadManifest(dir)
	require.NoError(t, err, "the tenant tests deploy build/: run make wasm")
	return dir, m
}

// ReferencePackages returns the npm packages of the reference build
// (build/go/, whose modules go in packages), failing t when there are none.
func ReferencePackages(t testing.TB) []bundle.Package {
	t.Helper()
	m, err := tenant.LoadManifest(filepath.Join(cases.RepoRoot(), cases.ReferenceBuild))
	require.NoError(t, err, "run make wasm-go")
	require.NotEmpty(t, m.Packages, "build/go/manifest.json lists no package")
	return m.Packages
}

// BuildTime is how long a build takes on the tests' stand-ins.
const BuildTime = 50 * time.Millisecond

// Start starts a stand-in tenant for t, closed at its end, with opts and
// unless they say otherwise: builds that take BuildTime and install
// packages from the reference build's folders in build/go/npm/ (the shipped
// bundles have no dependencies; the tests have no registry; the deploy
// rehearsal installs with npm from one).
func Start(t testing.TB, opts mgmtstub.Options) *mgmtstub.Server {
	t.Helper()
	if opts.BuildTime == 0 {
		opts.BuildTime = BuildTime
	}
	if opts.Installer == nil {
		folders, err := filepath.Glob(filepath.Join(cases.RepoRoot(), cases.ReferenceBuild, bundle.PackagesDir, "*"))
		require.NoError(t, err)
		opts.Installer = mgmtstub.Folders(folders)
	}
	s, err := mgmtstub.Start(opts)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, s.Close()) })
	return s
}

// Client returns a go-auth0 client on s, connected as the commands connect
// (tenant.Connect).
func Client(t testing.TB, s *mgmtstub.Server) *management.Management {
	t.Helper()
	m, err := tenant.Connect(context.Background(), tenant.Credentials{Domain: s.Domain(), Token: s.Token()}, s.Client())
	require.NoError(t, err)
	return m
}

// Reader returns a tenant.Reader on s.
func Reader(t testing.TB, s *mgmtstub.Server) tenant.Reader {
	t.Helper()
	return tenant.Reader{API: Client(t, s), Domain: s.Domain()}
}

// Deploy deploys every action of the manifest from dir to s with secrets,
// and binds them; it returns the action ids by name.
func Deploy(t testing.TB, s *mgmtstub.Server, dir string, m bundle.Manifest, secrets map[string]map[string]string) map[string]string {
	t.Helper()
	api := Client(t, s)
	ids := map[string]string{}
	for _, a := range m.Actions {
		code, err := os.ReadFile(filepath.Join(dir, a.Bundle))
		require.NoError(t, err, "bundle of %s: run make wasm", a.Name)
		ids[a.Name] = CreateAndDeploy(t, api, a, string(code), secrets[a.Name])
	}
	Bind(t, api, m, ids, nil)
	return ids
}

// CreateAndDeploy creates one action with code as the provider does
// (runtime node18 sent as "node18-actions") and its secrets as deploy/
// sends them (only those with a value), waits until it is built and
// deploys it; it returns its id.
func CreateAndDeploy(t testing.TB, api *management.Management, a bundle.ManifestAction, code string, secrets map[string]string) string {
	t.Helper()
	ctx := context.Background()
	runtime := a.Runtime
	if runtime == "node18" {
		runtime = "node18-actions"
	}
	deps := []management.ActionDependency{}
	for _, d := range a.Dependencies {
		deps = append(deps, management.ActionDependency{Name: str(d.Name), Version: str(d.Version)})
	}
	ss := []management.ActionSecret{}
	for _, name := range a.Secrets {
		if secrets[name] != "" { // as deploy/ does, an unset secret is not sent
			ss = append(ss, management.ActionSecret{Name: str(name), Value: str(secrets[name])})
		}
	}
	act := &management.Action{
		Name: str(a.Name), Code: str(code), Runtime: str(runtime), Dependencies: &deps, Secrets: &ss,
		SupportedTriggers: []management.ActionTrigger{{ID: str(a.Trigger.ID), Version: str(a.Trigger.Version)}},
	}
	require.NoError(t, api.Action.Create(ctx, act))
	WaitBuilt(t, api, act.GetID())
	_, err := api.Action.Deploy(ctx, act.GetID())
	require.NoError(t, err)
	return act.GetID()
}

// WaitBuilt polls action id until its build ends, failing t unless it is
// built.
func WaitBuilt(t testing.TB, api *management.Management, id string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		got, err := api.Action.Read(context.Background(), id)
		require.NoError(t, err)
		switch got.GetStatus() {
		case management.ActionStatusBuilt:
			return
		case management.ActionStatusFailed:
			t.Fatalf("action %s failed to build", got.GetName())
		}
		require.True(t, time.Now().Before(deadline), "action %s still %s after a minute", got.GetName(), got.GetStatus())
		time.Sleep(10 * time.Millisecond)
	}
}

// Bind binds each trigger's actions of the manifest in manifest order, or
// in the order order gives for a trigger (names; an action named twice is
// bound twice).
func Bind(t testing.TB, api *management.Management, m bundle.Manifest, ids map[string]string, order map[string][]string) {
	t.Helper()
	triggers, byTrigger := tenant.Triggers(m)
	for _, trigger := range triggers {
		names := byTrigger[trigger]
		if o, ok := order[trigger]; ok {
			names = o
		}
		bs := []*management.ActionBinding{}
		for _, name := range names {
			bs = append(bs, &management.ActionBinding{
				Ref:         &management.ActionBindingReference{Type: str(management.ActionBindingReferenceByID), Value: str(ids[name])},
				DisplayName: str(name),
			})
		}
		require.NoError(t, api.Action.UpdateBindings(context.Background(), trigger, bs))
	}
}

func str(s string) *string { return &s }

// Redeploy updates action id with change, waits until it is built and
// deploys it, as the Terraform provider does.
func Redeploy(t testing.TB, api *management.Management, id string, change *management.Action) {
	t.Helper()
	require.NoError(t, api.Action.Update(context.Background(), id, change))
	WaitBuilt(t, api, id)
	_, err := api.Action.Deploy(context.Background(), id)
	require.NoError(t, err)
}
