# One build command (make wasm) and one test command (make test); both set up
# what they need on a fresh clone (TinyGo, Go modules, the Node 18/22 test
# binaries).

GO       ?= go
NPM      ?= npm
NODE18   := node_modules/node18/bin/node
NODE22   := node_modules/node22/bin/node
NODE_TESTS := $(sort $(wildcard shim/test/*.test.js))

.PHONY: wasm faults test test-go fuzz test-node bench clean

# COMPILER is the guest compiler, chosen here and nowhere else:
# tinygo (the default: small modules, embedded in their bundles) or go (the
# standard Go toolchain, the reference: modules in npm packages, which
# NPM_PACKAGE_PREFIX names; mfa_action's is @floatme/auth0-wasm-mfa-action).
# BUILD is the folder make wasm writes.
COMPILER ?= tinygo
BUILD    ?= build
NPM_PACKAGE_PREFIX ?= @floatme/auth0-wasm

# TINYGO is TinyGo 0.39.0: the tinygo on PATH when it is that version,
# otherwise the one tools/tinygo/setup.sh sets up in .tools/.
TOOLS       := $(CURDIR)/.tools
TINYGO_BUILT := $(TOOLS)/bin/tinygo
ifeq ($(origin TINYGO),undefined)
TINYGO := $(if $(findstring tinygo version 0.39.0 ,$(shell tinygo version 2>/dev/null)),$(shell command -v tinygo),$(TINYGO_BUILT))
endif
export TINYGO
# TINYGO_SETUP is the setup a build needs first: TINYGO_BUILT when that is
# the TinyGo used, nothing when one is on PATH; COMPILER_SETUP the same for
# COMPILER's builds.
TINYGO_SETUP   := $(filter $(TINYGO_BUILT),$(TINYGO))
COMPILER_SETUP := $(if $(filter tinygo,$(COMPILER)),$(TINYGO_SETUP))

# BUILDS are the two builds the tests and the benchmark run over: what ships
# (TinyGo, embedded) and the standard Go toolchain's (npm packages).
BUILDS := build build/go

## wasm: $(BUILD)/<action>.wasm, <action>.js, manifest.json (and, with COMPILER=go, each action's npm package in npm/<action>); a size table
wasm: $(COMPILER_SETUP)
	$(GO) run ./cmd/actions build -dir '$(BUILD)' -compiler '$(COMPILER)' -package-prefix '$(NPM_PACKAGE_PREFIX)'

## wasm-go: build/go/, the reference build with the standard Go toolchain, which the tests compare with what ships
wasm-go:
	$(MAKE) wasm COMPILER=go BUILD=build/go

## faults: the misbehaving bundles the Node fault tests load, for both compilers (build/faults/, build/go/faults/)
faults: $(TINYGO_SETUP)
	$(GO) run ./internal/testguest/faultbundles -compiler tinygo build/faults
	$(GO) run ./internal/testguest/faultbundles -compiler go build/go/faults

$(TINYGO_BUILT): tools/tinygo/setup.sh tools/tinygo/go1.26.patch tools/tinygo/arc4random.c tools/tinygo/go.mod tools/tinygo/go.sum
	tools/tinygo/setup.sh $(TOOLS)

# npm's report goes to standard error: make -s diff prints only the diff.
node_modules/.installed: package.json package-lock.json
	$(NPM) ci --no-audit --no-fund >&2
	touch $@

## test: everything: the workflows' lint, Go (native and wazero; deploy files; verify and smoke), a short fuzz run, Node 18 and Node 22, the bounded-memory streams, the Terraform deploy rehearsal, the npm registry rehearsal
test: lint-workflows wasm wasm-go faults node_modules/.installed test-go fuzz test-node test-memory deploy-test test-registry

test-go:
	$(GO) vet ./...
	GOOS=wasip1 GOARCH=wasm $(GO) vet ./...
	$(GO) test ./... ./testdata/gen

# FUZZ_TARGETS are package:target:count. The two internal/host targets fuzz
# every action of actions.All (an input's first value picks one), so a new
# action needs no line here.
# Each fuzz target runs for a count of inputs, about 10 s here, not for a
# duration: Go 1.26's fuzz coordinator can fail a duration-bounded run with a
# spurious "context deadline exceeded" (go.dev/issue/75804). FUZZTIME, when
# set (e.g. FUZZTIME=5m), overrides every count. New inputs are not
# minimized (-fuzzminimizetime=0): minimizing one can hang a worker and fail
# the run with "fuzzing process hung or terminated unexpectedly while
# minimizing: EOF" though the input passes (go.dev/issue/52569; seen here on
# a fresh clone). A crasher is then written as found, unminimized.
FUZZ_TARGETS := \
	./internal/abi:FuzzDecodeRequest:300000x \
	./internal/abi:FuzzDecodeResponse:300000x \
	./internal/host:FuzzActionsAgree:40000x \
	./internal/host:FuzzActionFieldsAgree:40000x

fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; rest=$${t#*:}; name=$${rest%%:*}; budget=$${FUZZTIME:-$${rest#*:}}; \
		echo "fuzz $$pkg $$name ($$budget)"; \
		$(GO) test -run='^$$' -fuzz="^$$name$$" -fuzztime=$$budget -fuzzminimizetime=0 $$pkg; \
	done

# The Node tests run once per build and Node.
test-node: node_modules/.installed
	@set -e; for node in $(NODE18) $(NODE22); do for b in $(BUILDS); do \
		echo "BUILD_DIR=$$b $$node --test"; BUILD_DIR=$$b $$node --test $(NODE_TESTS); \
	done; done

## test-memory: 200,000 adversarial events per action through one warm instance of each bundle of both builds under Node 18 and 22: memory stays flat and within a bound, every decision the native one (about 4 minutes; go test ./... runs the same streams under wazero)
.PHONY: test-memory
test-memory: node_modules/.installed
	MEMORY_TEST=1 $(GO) test -count=1 -timeout=20m -run='^TestBoundedMemoryUnderNode$$' ./internal/host

## bench: a decision natively and under wazero (Go); under Node 18 and 22, each bundle's warm decision and cold start as ratios to plain JavaScript, for both compilers (BENCHMARKS.md)
bench: wasm wasm-go node_modules/.installed
	$(GO) test -run='^$$' -bench=. -benchmem ./internal/host
	@set -e; for node in $(NODE18) $(NODE22); do for b in $(BUILDS); do \
		BUILD_DIR=$$b $$node shim/bench/bench.js; \
	done; done

## diff: which logins the working tree's actions answer differently from BASE's (make diff BASE=origin/main [FORMAT=markdown] [DIFF_FLAGS=-allow-weakening]); exit 1 when a change drops a guarded call
BASE   ?=
FORMAT ?= text
DIFF_FLAGS ?=
.PHONY: diff
diff: $(COMPILER_SETUP) node_modules/.installed
	@test -n '$(BASE)' || { echo 'make diff needs BASE, the git revision to compare with: make diff BASE=origin/main' >&2; exit 2; }
	$(GO) run ./cmd/actions diff -base '$(BASE)' -compiler '$(COMPILER)' -format '$(FORMAT)' $(DIFF_FLAGS)

clean:
	rm -rf build

# Deploy tools, in the git-ignored .tools/: the auth0 Terraform provider
# v1.0.0 built from the Go module proxy (tools/provider pins it) into a
# filesystem mirror (the deploy test points Terraform at it, and only at it),
# and Terraform v1.5.7 (tools/terraform) when none is on PATH.
GOHOST        := $(shell $(GO) env GOHOSTOS)_$(shell $(GO) env GOHOSTARCH)
TF_MIRROR     := $(TOOLS)/providers
TF_PROVIDER   := $(TF_MIRROR)/registry.terraform.io/auth0/auth0/1.0.0/$(GOHOST)/terraform-provider-auth0_v1.0.0
TF_BUILT      := $(TOOLS)/bin/terraform
TERRAFORM     ?= $(or $(shell command -v terraform),$(TF_BUILT))

.PHONY: tools deploy-check deploy-test lint-workflows

## tools: the auth0 provider mirror in .tools/ (and terraform, when none is on PATH)
tools: $(TF_PROVIDER) $(filter $(TF_BUILT),$(TERRAFORM))

$(TF_PROVIDER): tools/provider/go.mod tools/provider/go.sum
	cd tools/provider && $(GO) build -o $@ github.com/auth0/terraform-provider-auth0

$(TF_BUILT): tools/terraform/go.mod tools/terraform/go.sum
	cd tools/terraform && $(GO) build -o $@ github.com/hashicorp/terraform

# actionlint v1.7.12 (tools/actionlint pins it) checks .github/workflows/
# (syntax, expressions, jobs, the inputs of local actions): the workflows
# run only on GitHub, so nothing else here would notice them rot. It runs
# shellcheck on every run: script, where the workflows handle secrets and
# exit codes; shellcheck is Debian's package, installed when missing and we
# are root (as tools/tinygo/setup.sh installs its packages).
ACTIONLINT := $(TOOLS)/bin/actionlint

$(ACTIONLINT): tools/actionlint/go.mod tools/actionlint/go.sum
	cd tools/actionlint && $(GO) build -o $@ github.com/rhysd/actionlint/cmd/actionlint

## lint-workflows: actionlint (with shellcheck) on .github/workflows/
lint-workflows: $(ACTIONLINT)
	@command -v shellcheck >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends shellcheck; } || \
		{ echo 'lint-workflows needs shellcheck on PATH: apt-get install shellcheck (as root), brew install shellcheck' >&2; exit 1; }
	$(ACTIONLINT)

## deploy-check: the static checks of deploy/*.tf against build/manifest.json
deploy-check: wasm
	$(GO) test -count=1 ./internal/deploycheck

## deploy-test: terraform init, apply, plan, a one-action rebuild and destroy against the local Management API stand-in, and user journeys under Node 18
deploy-test: wasm node_modules/.installed tools
	DEPLOY_TEST=1 TERRAFORM='$(TERRAFORM)' $(GO) test -count=1 -timeout=20m ./internal/deploytest

# Publishing the build's npm packages (build/npm/). NPM_TAG is the dist-tag
# they go under: npm publishes a prerelease version (0.1.0-sha-…) only with one.
# NPM_ACCESS, when set (public, restricted), is npm publish's --access;
# otherwise npm's configuration decides.
NPM_TAG    ?= wasm-build
NPM_ACCESS ?=

.PHONY: publish test-registry

## publish: npm publish each package in $(BUILD)/npm/ (make publish COMPILER=go) to the registry of your npm configuration; a version already there must hold the same files
publish: wasm
	$(GO) run ./cmd/actions publish -dir '$(BUILD)' -tag '$(NPM_TAG)' -npm '$(NPM)' $(if $(NPM_ACCESS),-access '$(NPM_ACCESS)')

## test-registry: the publish rehearsal of build/go's packages on a local verdaccio: publish (again: nothing to do; other contents: refused), npm install as Auth0 does, the cases under Node 18
test-registry: wasm-go node_modules/.installed
	REGISTRY_TEST=1 $(GO) test -count=1 -timeout=5m ./internal/registrytest
