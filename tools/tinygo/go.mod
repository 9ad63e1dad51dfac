module github.com/floatme/auth0-wasm-actions/tools/tinygo

go 1.22.0

// TinyGo's source: setup.sh downloads it through the Go module proxy,
// checked against go.sum, and builds it against Debian's LLVM 19.
require github.com/tinygo-org/tinygo v0.39.0
