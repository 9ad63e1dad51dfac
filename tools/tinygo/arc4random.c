// arc4random.c replaces the arc4random.o member of Debian bookworm's wasi-libc
// (2022) in the libc.a that tools/tinygo/setup.sh puts in TinyGo's cache.
//
// TinyGo's wasm runtime seeds its hashes and math/rand from arc4random().
// Debian's arc4random draws from a ChaCha20 state fed by getentropy() and,
// when getentropy fails, calls __assert_fail, which links in stdio (6-14 kB
// of module) and the WASI imports fd_close and fd_seek, which the shim does
// not provide. These three functions read WASI random_get directly, every
// time, and trap when it fails: an action's module is better dead than
// seeded with something that is not random.
#include <stddef.h>
#include <stdint.h>
#include <wasi/api.h>

void arc4random_buf(void *buf, size_t n) {
	if (__wasi_random_get((uint8_t *)buf, n) != __WASI_ERRNO_SUCCESS) {
		__builtin_trap();
	}
}

uint32_t arc4random(void) {
	uint32_t v;
	arc4random_buf(&v, sizeof v);
	return v;
}

// arc4random_uniform returns a uniform value below upper (0 when upper < 2),
// rejecting the values below 2^32 mod upper so that every residue is
// equally likely.
uint32_t arc4random_uniform(uint32_t upper) {
	if (upper < 2) {
		return 0;
	}
	uint32_t min = -upper % upper;
	for (;;) {
		uint32_t r = arc4random();
		if (r >= min) {
			return r % upper;
		}
	}
}
