#!/bin/sh
# setup.sh TOOLS sets up TinyGo 0.39.0 in TOOLS (the git-ignored .tools/) from
# registries only, and writes TOOLS/bin/tinygo, the command make wasm runs:
#
#  1. Debian's LLVM 19, clang, lld, compiler-rt for wasm32, wasi-libc and
#     binaryen (wasm-opt), with apt-get when they are missing and this is a
#     Debian or Ubuntu machine where we are root; otherwise it stops and says
#     what to run.
#  2. TinyGo's source from the Go module proxy (tools/tinygo/go.mod pins it,
#     go.sum checks it), copied to TOOLS/tinygo-0.39.0 and patched for Go 1.26
#     (go1.26.patch). The module zip lacks the git submodules under lib/ and
#     src/net; an empty src/net makes TinyGo use Go's own net/ tree.
#  3. go build -tags "llvm19 osusergo" against the system LLVM.
#  4. TinyGo's library cache seeded with Debian's prebuilt libraries in place
#     of the missing sources: TinyGo uses a lib.a that already exists at
#     its library path as it is. libc.a is Debian's wasi-libc with its
#     arc4random.o replaced by arc4random.c (see there why).
#  5. TOOLS/bin/tinygo: runs that TinyGo with that cache.
#
# It is idempotent; make runs it when TOOLS/bin/tinygo is missing or older
# than the files in tools/tinygo/.
#
# setup.sh -system-packages does step 1 only: CI restores TOOLS from its
# cache, which holds TinyGo but none of the Debian packages it runs with.
set -eu

version=0.39.0
here=$(cd "$(dirname "$0")" && pwd)
arg=${1:?usage: setup.sh TOOLS | setup.sh -system-packages}
packages="llvm-19-dev libclang-19-dev clang-19 lld-19 libclang-rt-19-dev-wasm32 wasi-libc binaryen patch"
libc=/usr/lib/wasm32-wasi/libc.a
libc_include=/usr/include/wasm32-wasi
builtins=/usr/lib/llvm-19/lib/clang/19/lib/wasi/libclang_rt.builtins-wasm32.a

say() { echo "tinygo setup: $*" >&2; }

# missing lists what TinyGo's build and its wasm builds need and this
# machine lacks.
missing() {
	for cmd in llvm-config-19 clang-19 wasm-ld-19 llvm-ar-19 wasm-opt patch; do
		command -v "$cmd" >/dev/null 2>&1 || echo "$cmd"
	done
	for file in "$libc" "$libc_include/wasi/api.h" "$builtins" /usr/lib/llvm-19/include/clang-c/Index.h; do
		[ -e "$file" ] || echo "$file"
	done
}

system_packages() {
	need=$(missing)
	[ -z "$need" ] && return 0
	say "missing: $(echo $need)"
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		say "installing Debian packages: $packages"
		apt-get update -q >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $packages >&2
		need=$(missing)
		[ -z "$need" ] && return 0
		say "still missing after apt-get: $(echo $need)"
	fi
	cat >&2 <<EOF
tinygo setup: cannot set up TinyGo $version here. Either
  - on Debian 12 or Ubuntu, as root:
      apt-get update && apt-get install -y --no-install-recommends $packages
    then run make wasm again; or
  - put a TinyGo $version that accepts Go 1.26 on PATH (on macOS or without
    root: build it from source with tools/tinygo/go1.26.patch applied, see
    https://tinygo.org/docs/guides/build/), then run make wasm again; or
  - build the reference modules with the standard Go toolchain:
      make wasm COMPILER=go   (npm-package delivery: see README.md)
EOF
	exit 1
}

wasm_opt_version() {
	v=$(wasm-opt --version | sed -n 's/.*version \([0-9][0-9]*\).*/\1/p')
	if [ -z "$v" ] || [ "$v" -lt 102 ]; then
		say "TinyGo needs wasm-opt (binaryen) 102 or later; found: $(wasm-opt --version)"
		exit 1
	fi
}

source_tree() {
	src=$(cd "$here" && go mod download -json github.com/tinygo-org/tinygo | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
	[ -d "$src" ] || { say "go mod download gave no source directory for TinyGo $version"; exit 1; }
	rm -rf "$root" "$root.tmp"
	cp -R "$src" "$root.tmp"
	chmod -R u+w "$root.tmp"
	(cd "$root.tmp" && patch -s -p1 <"$here/go1.26.patch")
	mkdir -p "$root.tmp/src/net"
	say "building TinyGo $version against LLVM 19 (about a minute)"
	(cd "$root.tmp" && CGO_ENABLED=1 go build -trimpath -tags "llvm19 osusergo" -o bin/tinygo .)
	mv "$root.tmp" "$root"
}

# libraries seeds TinyGo's cache (XDG_CACHE_HOME/tinygo) for the wasip1
# target: the directory names are TinyGo's config.LibraryPath for it.
libraries() {
	cache=$root/cache/tinygo
	wasilibc=$cache/wasi-libc-wasm32-unknown-wasi-generic
	compilerrt=$cache/compiler-rt-wasm32-unknown-wasi-generic
	mkdir -p "$wasilibc" "$compilerrt"
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
	clang-19 --target=wasm32-unknown-wasi -isystem "$libc_include" -Oz -c "$here/arc4random.c" -o "$work/arc4random.o"
	cp "$libc" "$work/libc.a"
	llvm-ar-19 d "$work/libc.a" arc4random.o
	llvm-ar-19 rs "$work/libc.a" "$work/arc4random.o"
	mv "$work/libc.a" "$wasilibc/lib.a"
	ln -sfn "$libc_include" "$wasilibc/include"
	cp "$builtins" "$compilerrt/lib.a"
}

wrapper() {
	mkdir -p "$tools/bin"
	cat >"$tools/bin/tinygo.tmp" <<EOF
#!/bin/sh
# tinygo runs TinyGo $version as tools/tinygo/setup.sh set it up, with its library cache.
XDG_CACHE_HOME='$root/cache' exec '$root/bin/tinygo' "\$@"
EOF
	chmod +x "$tools/bin/tinygo.tmp"
	mv "$tools/bin/tinygo.tmp" "$tools/bin/tinygo"
}

system_packages
[ "$arg" = -system-packages ] && exit 0
mkdir -p "$arg"
tools=$(cd "$arg" && pwd -P) # the real folder: the wrapper must not name a symbolic link
root=$tools/tinygo-$version
wasm_opt_version
source_tree
libraries
wrapper
"$tools/bin/tinygo" version >&2
