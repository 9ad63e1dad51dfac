package bundle

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"text/tabwriter"

	"github.com/floatme/auth0-wasm-actions/internal/compiler"
)

// ManifestFile is the manifest's name in the build folder.
const ManifestFile = "manifest.json"

// Runtime is the Auth0 Actions runtime every bundle targets.
const Runtime = "node18"

// Manifest is build/manifest.json: what was built, for deploy files and
// outside checks. Paths are relative to the build folder.
type Manifest struct {
	BudgetBytes int              `json:"budget_bytes"`
	Actions     []ManifestAction `json:"actions"`
	Packages    []Package        `json:"packages"`
}

// ManifestAction is one built action.
type ManifestAction struct {
	Name          string       `json:"name"`
	Delivery      string       `json:"delivery"` // DeliveryEmbedded or DeliveryPackage
	Compiler      CompilerRef  `json:"compiler"`
	Bundle        string       `json:"bundle"`
	SHA256        string       `json:"sha256"`
	Bytes         int          `json:"bytes"`
	EmbeddedBytes int          `json:"embedded_bytes"` // the bundle's size with the module embedded
	Wasm          string       `json:"wasm"`
	WasmSHA256    string       `json:"wasm_sha256"`
	WasmBytes     int          `json:"wasm_bytes"`
	Trigger       TriggerRef   `json:"trigger"`
	Handler       string       `json:"handler"`
	Runtime       string       `json:"runtime"`
	Secrets       []string     `json:"secrets"`
	Dependencies  []Dependency `json:"dependencies"`
	GoPackage     string       `json:"go_package"`
	// Contract is the contract the bundle embeds, as shim.js reads it: the
	// tests read an action's reads and fallback here.
	Contract contractJSON `json:"contract"`
	// Guarded lists the calls the policy depends on (contract.Guards: the
	// contract's own and access.deny), and UserControlledReads the paths
	// of the contract's reads the end user sets: what a reviewer of a
	// change to the action looks at first (actions diff). Neither is in
	// the bundle: the shim does not use them.
	Guarded             []GuardRef `json:"guarded"`
	UserControlledReads []string   `json:"user_controlled_reads"`
}

// GuardRef is a guard as the manifest shows it: an op, and the first
// arguments a call of it must have to be guarded (none: every call).
type GuardRef struct {
	Op   string `json:"op"`
	Args []any  `json:"args"`
}

// Action returns the manifest's action called name, and false when there is
// none.
func (m Manifest) Action(name string) (ManifestAction, bool) {
	for _, a := range m.Actions {
		if a.Name == name {
			return a, true
		}
	}
	return ManifestAction{}, false
}

// CompilerRef names the compiler that built a module: its name (compiler.TinyGo
// or compiler.Go) and what it says of its version.
type CompilerRef struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Compiler returns the compiler that built m's modules (its default
// command), which every action of one build shares.
func (m Manifest) Compiler() (compiler.Compiler, error) {
	if len(m.Actions) == 0 {
		return compiler.Compiler{}, errors.New("the manifest lists no action (run make wasm)")
	}
	return compiler.Named(m.Actions[0].Compiler.Name, "")
}

// TriggerRef names an Auth0 trigger.
type TriggerRef struct {
	ID      string `json:"id"`
	Version string `json:"version"`
}

// Dependency is an npm package an action requires.
type Dependency struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Package is an npm package the build wrote, in Dir under the build folder.
type Package struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Dir     string `json:"dir"`
}

// PrintSizes writes the size table: each module, its bundle in both
// delivery modes, and the deployed bundle against Auth0's budget.
func PrintSizes(w io.Writer, m Manifest) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "action\tcompiler\twasm\tembedded bundle\tnpm-package bundle\tdelivery\tbudget verdict\t\n")
	for _, a := range m.Actions {
		packaged := "-"
		if a.Delivery == DeliveryPackage {
			packaged = strconv.Itoa(a.Bytes)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%s\t%s\t\n", a.Name, a.Compiler.Name, a.WasmBytes, a.EmbeddedBytes, packaged, a.Delivery, verdict(a, m.BudgetBytes))
	}
	return tw.Flush()
}

// verdict says how the deployed bundle stands against the budget.
func verdict(a ManifestAction, budget int) string {
	if a.Bytes <= budget {
		return fmt.Sprintf("%d bytes, within %d", a.Bytes, budget)
	}
	return fmt.Sprintf("%d bytes, over %d by %d: not deployable", a.Bytes, budget, a.Bytes-budget)
}

// ReadManifest reads dir's manifest.
func ReadManifest(dir string) (Manifest, error) {
	data, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		return Manifest{}, fmt.Errorf("%w (run make wasm)", err)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return Manifest{}, fmt.Errorf("%s: %w", filepath.Join(dir, ManifestFile), err)
	}
	return m, nil
}
