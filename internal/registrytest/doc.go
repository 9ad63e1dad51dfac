// Package registrytest rehearses npm delivery against a local npm registry
// (verdaccio on loopback): actions publish publishes build/npm, once per
// version; the package is installed into a clean folder as Auth0 installs an
// Action's dependencies; and the shared cases run under Node 18 through the
// bundles resolving that installed package, and through tampered and
// missing copies of it. It runs with make test-registry (REGISTRY_TEST=1).
package registrytest
