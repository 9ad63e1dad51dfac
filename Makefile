# One build command (make wasm) and one test command (make test); both set up
# what they need on a fresh clone (Go modules, the Node 18/22 test binaries).

GO       ?= go
NPM      ?= npm
FUZZTIME ?= 10s
NODE18   := node_modules/node18/bin/node
NODE22   := node_modules/node22/bin/node
NODE_TESTS := $(sort $(wildcard shim/test/*.test.js))

.PHONY: wasm faults test test-go fuzz test-node bench clean

## wasm: build/<action>.wasm, build/<action>.js and build/manifest.json, with a size table
wasm:
	$(GO) run ./cmd/actions build

## faults: the misbehaving bundles the Node fault tests load (build/faults/)
faults:
	$(GO) run ./internal/testguest/faultbundles build/faults

node_modules/.installed: package.json package-lock.json
	$(NPM) ci --no-audit --no-fund
	touch $@

## test: everything: Go (native and wazero), a short fuzz run, Node 18 and Node 22
test: wasm faults node_modules/.installed test-go fuzz test-node

test-go:
	$(GO) vet ./...
	GOOS=wasip1 GOARCH=wasm $(GO) vet ./...
	$(GO) test ./...

# Each fuzz target runs for FUZZTIME; go test takes one -fuzz target per run.
FUZZ_TARGETS := \
	./internal/abi:FuzzDecodeRequest \
	./internal/abi:FuzzDecodeResponse \
	./internal/host:FuzzMFAAgrees \
	./internal/host:FuzzIPMetaAgrees \
	./internal/host:FuzzEnableMFAAgrees \
	./internal/host:FuzzMFAFieldsAgree \
	./internal/host:FuzzIPMetaFieldsAgree

fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "fuzz $$pkg $$name ($(FUZZTIME))"; \
		$(GO) test -run='^$$' -fuzz="^$$name$$" -fuzztime=$(FUZZTIME) $$pkg; \
	done

test-node: node_modules/.installed
	$(NODE18) --test $(NODE_TESTS)
	$(NODE22) --test $(NODE_TESTS)

## bench: a decision natively and under wazero (Go), cold start and warm decision under Node 18 and 22
bench: wasm node_modules/.installed
	$(GO) test -run='^$$' -bench=. -benchmem ./internal/host
	$(NODE18) shim/bench/bench.js
	$(NODE22) shim/bench/bench.js

clean:
	rm -rf build
