# One build command (make wasm) and one test command (make test); both set up
# what they need on a fresh clone (Go modules, the Node 18/22 test binaries).

GO       ?= go
NPM      ?= npm
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

# Each fuzz target runs for a count of inputs, about 10 s here, not for a
# duration: Go 1.26's fuzz coordinator can fail a duration-bounded run with a
# spurious "context deadline exceeded" (go.dev/issue/75804). FUZZTIME, when
# set (e.g. FUZZTIME=5m), overrides every count.
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
		$(GO) test -run='^$$' -fuzz="^$$name$$" -fuzztime=$$budget $$pkg; \
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
