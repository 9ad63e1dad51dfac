# One build command (make wasm) and one test command (make test); both set up
# what they need on a fresh clone (Go modules, the Node 18/22 test binaries).

GO       ?= go
NPM      ?= npm
NODE18   := node_modules/node18/bin/node
NODE22   := node_modules/node22/bin/node
NODE_TESTS := $(sort $(wildcard shim/test/*.test.js))

.PHONY: wasm faults test test-go fuzz test-node bench clean

# NPM_PACKAGE_PREFIX starts each action's npm package name (mfa_action's is
# @floatme/auth0-wasm-mfa-action); EMBED=1 embeds each module in its bundle
# instead (local runs; modules small enough for the budget).
NPM_PACKAGE_PREFIX ?= @floatme/auth0-wasm
EMBED ?=

## wasm: build/<action>.wasm, build/<action>.js, each action's npm package in build/npm/<action>, build/manifest.json; a size table
wasm:
	$(GO) run ./cmd/actions build -package-prefix '$(NPM_PACKAGE_PREFIX)' $(if $(EMBED),-embed)

## faults: the misbehaving bundles the Node fault tests load (build/faults/)
faults:
	$(GO) run ./internal/testguest/faultbundles build/faults

node_modules/.installed: package.json package-lock.json
	$(NPM) ci --no-audit --no-fund
	touch $@

## test: everything: Go (native and wazero; deploy files; verify and smoke), a short fuzz run, Node 18 and Node 22, the Terraform deploy rehearsal, the npm registry rehearsal
test: wasm faults node_modules/.installed test-go fuzz test-node deploy-test test-registry

test-go:
	$(GO) vet ./...
	GOOS=wasip1 GOARCH=wasm $(GO) vet ./...
	$(GO) test ./...

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
	./internal/host:FuzzMFAAgrees:80000x \
	./internal/host:FuzzIPMetaAgrees:15000x \
	./internal/host:FuzzEnableMFAAgrees:80000x \
	./internal/host:FuzzMFAFieldsAgree:80000x \
	./internal/host:FuzzIPMetaFieldsAgree:15000x

fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; rest=$${t#*:}; name=$${rest%%:*}; budget=$${FUZZTIME:-$${rest#*:}}; \
		echo "fuzz $$pkg $$name ($$budget)"; \
		$(GO) test -run='^$$' -fuzz="^$$name$$" -fuzztime=$$budget -fuzzminimizetime=0 $$pkg; \
	done

test-node: node_modules/.installed
	$(NODE18) --test $(NODE_TESTS)
	$(NODE22) --test $(NODE_TESTS)

## bench: a decision natively and under wazero (Go); under Node 18 and 22, each bundle's warm decision and cold start as ratios to plain JavaScript (BENCHMARKS.md)
bench: wasm node_modules/.installed
	$(GO) test -run='^$$' -bench=. -benchmem ./internal/host
	$(NODE18) shim/bench/bench.js
	$(NODE22) shim/bench/bench.js

clean:
	rm -rf build

# Deploy tools, in the git-ignored .tools/: the auth0 Terraform provider
# v1.0.0 built from the Go module proxy (tools/provider pins it) into a
# filesystem mirror (the deploy test points Terraform at it, and only at it),
# and Terraform v1.5.7 (tools/terraform) when none is on PATH.
TOOLS         := $(CURDIR)/.tools
GOHOST        := $(shell $(GO) env GOHOSTOS)_$(shell $(GO) env GOHOSTARCH)
TF_MIRROR     := $(TOOLS)/providers
TF_PROVIDER   := $(TF_MIRROR)/registry.terraform.io/auth0/auth0/1.0.0/$(GOHOST)/terraform-provider-auth0_v1.0.0
TF_BUILT      := $(TOOLS)/bin/terraform
TERRAFORM     ?= $(or $(shell command -v terraform),$(TF_BUILT))

.PHONY: tools deploy-check deploy-test

## tools: the auth0 provider mirror in .tools/ (and terraform, when none is on PATH)
tools: $(TF_PROVIDER) $(filter $(TF_BUILT),$(TERRAFORM))

$(TF_PROVIDER): tools/provider/go.mod tools/provider/go.sum
	cd tools/provider && $(GO) build -o $@ github.com/auth0/terraform-provider-auth0

$(TF_BUILT): tools/terraform/go.mod tools/terraform/go.sum
	cd tools/terraform && $(GO) build -o $@ github.com/hashicorp/terraform

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

## publish: npm publish each package in build/npm/ to the registry of your npm configuration; a version already there must hold the same files
publish: wasm
	$(GO) run ./cmd/actions publish -dir build -tag '$(NPM_TAG)' -npm '$(NPM)' $(if $(NPM_ACCESS),-access '$(NPM_ACCESS)')

## test-registry: the publish rehearsal on a local verdaccio: publish (again: nothing to do; other contents: refused), npm install as Auth0 does, the cases under Node 18
test-registry: wasm node_modules/.installed
	REGISTRY_TEST=1 $(GO) test -count=1 -timeout=5m ./internal/registrytest
