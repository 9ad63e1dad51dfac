package host_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/floatme/auth0-wasm-actions/actions"
	"github.com/floatme/auth0-wasm-actions/actions/ipmeta"
	"github.com/floatme/auth0-wasm-actions/actions/mfa"
	"github.com/floatme/auth0-wasm-actions/internal/abi"
	"github.com/floatme/auth0-wasm-actions/internal/cases"
	"github.com/floatme/auth0-wasm-actions/internal/event"
	. "github.com/floatme/auth0-wasm-actions/internal/host"
	fm "github.com/floatme/auth0-wasm-actions/internal/testguest/faultmode"
)

// decisionsPerInstance is how many decisions one instance makes in
// TestMemoryStaysBounded: a busy container's worth.
const decisionsPerInstance = 200_000

// TestMemoryStaysBounded: one instance making many decisions (every shared
// case of its action, round and round) stops growing its memory: after
// the first half of them it is as large as it gets (both collectors
// settle within 25,000 here; TinyGo's leaking collector would grow with
// every decision, RATIONALE.md).
func TestMemoryStaysBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("makes 200,000 decisions per action and build")
	}
	eachBuild(t, func(t *testing.T, b *build) {
		for _, a := range actions.All {
			t.Run(a.Contract.Action, func(t *testing.T) {
				cs, err := cases.Load(a.Contract.Action)
				require.NoError(t, err)
				var events []any
				for _, c := range cs {
					ev, err := event.Parse(c.Event)
					require.NoError(t, err)
					events = append(events, ev)
				}
				mod := load(t, a.Contract.Action, b.modules[a.Contract.Action])
				var half uint32
				for i := range decisionsPerInstance {
					if i == decisionsPerInstance/2 {
						half = mod.MemoryBytes()
					}
					mod.Run(context.Background(), events[i%len(events)])
				}
				assert.Equal(t, 1, mod.Instantiations(), "instances")
				assert.Equal(t, half, mod.MemoryBytes(), "memory: %d bytes after %d decisions, %d after %d", half, decisionsPerInstance/2, mod.MemoryBytes(), decisionsPerInstance)
			})
		}
	})
}

// TestModulesRefuseToGrowPastTheMaximum: every module of both builds,
// started, grows to abi.MaxMemory and not to 256 MiB.
func TestModulesRefuseToGrowPastTheMaximum(t *testing.T) {
	eachBuild(t, func(t *testing.T, b *build) {
		for _, a := range actions.All {
			t.Run(a.Contract.Action, func(t *testing.T) {
				mod := load(t, a.Contract.Action, b.modules[a.Contract.Action])
				require.Nil(t, mod.Run(context.Background(), map[string]any{}).Failure)
				assert.False(t, mod.GrowMemoryTo(256<<20), "grew to 256 MiB")
				assert.True(t, mod.GrowMemoryTo(abi.MaxMemory), "could not grow to abi.MaxMemory")
			})
		}
	})
}

// TestExhaustedMemoryFallsBack: a guest that allocates until its memory is
// at the maximum traps; the host makes the fallback calls, and the next
// decision runs in a fresh instance.
func TestExhaustedMemoryFallsBack(t *testing.T) {
	eachBuild(t, func(t *testing.T, b *build) {
		mod := load(t, mfa.Contract.Action, b.faulty)
		out := mod.Run(context.Background(), eventWithEmail(fm.EmailExhaust))
		require.NotNil(t, out.Failure, "no failure: the guest allocated %d bytes", fm.ExhaustBytes)
		assert.Equal(t, ReasonGuestTrap, out.Failure.Reason)
		assert.Equal(t, "guest", out.Failure.Side)
		assert.Contains(t, out.Failure.Detail, "out of memory")
		assert.Equal(t, mfa.Contract.Fallback, out.Calls)
		out = mod.Run(context.Background(), eventWithEmail("someone@example.com"))
		require.Nil(t, out.Failure)
		assert.Equal(t, mfa.ReasonNotRequired, out.Reason)
		assert.Equal(t, 2, mod.Instantiations(), "instances: one, and a fresh one after the trap")
	})
}

// TestZoneStreamKeepsMemoryFlat: 200,000 IPv6 addresses, each with a new
// zone, through one instance of add_ip_to_metadata: none is a client IP,
// and none is kept (netip would intern each zone, and TinyGo never frees
// what package unique holds).
func TestZoneStreamKeepsMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("makes 200,000 decisions per build")
	}
	eachBuild(t, func(t *testing.T, b *build) {
		mod := load(t, ipmeta.Contract.Action, b.modules[ipmeta.Contract.Action])
		var half uint32
		for i := range streamEvents {
			if i == streamEvents/2 {
				half = mod.MemoryBytes()
			}
			ip := fmt.Sprintf("fe80::%x%%zone-%d", i&0xffff, i)
			out := mod.Run(context.Background(), map[string]any{"request": map[string]any{"ip": ip}})
			if out.Reason != ipmeta.ReasonNoValidIP {
				t.Fatalf("%s: got %s (failure %v), want %s", ip, out.Reason, out.Failure, ipmeta.ReasonNoValidIP)
			}
		}
		assertBounded(t, half, mod.MemoryBytes(), mod.Instantiations())
	})
}

// TestLargestEventsFitTheMaximum: the largest requests the hosts send (16
// MiB of fields: one field holding it all, in turn, then every field a
// share) are decided by one instance within abi.MaxMemory, the
// measurement ABI.md's figure comes from. Strings are upper-case, with the
// "@" first or last, so that mfa_action copies them to fold their case.
func TestLargestEventsFitTheMaximum(t *testing.T) {
	eachBuild(t, func(t *testing.T, b *build) {
		for _, a := range actions.All {
			if len(a.Contract.Reads) == 0 {
				continue
			}
			t.Run(a.Contract.Action, func(t *testing.T) {
				mod := load(t, a.Contract.Action, b.modules[a.Contract.Action])
				var peak uint32
				for k, ev := range largestEvents(a.Contract.Reads) {
					out := mod.Run(context.Background(), ev)
					require.Nil(t, out.Failure, "the %d-th 16 MiB event", k+1)
					peak = max(peak, mod.MemoryBytes())
				}
				t.Logf("memory: at most %d KiB", peak>>10)
				assert.Equal(t, 1, mod.Instantiations(), "instances")
			})
		}
	})
}

// largestEvents returns events whose fields at reads take all of
// abi.MaxRequest: for each read, one with that field alone, then one with
// every field an equal share; each with the "@" first and last.
func largestEvents(reads []string) []map[string]any {
	overhead := 5 + 5*len(reads) // version, count; per field, kind and length
	var evs []map[string]any
	for spread := range len(reads) + 1 {
		fields := reads
		if spread < len(reads) {
			fields = reads[spread : spread+1]
		}
		n := (abi.MaxRequest-overhead)/len(fields) - 1
		for _, s := range []string{"@" + strings.Repeat("A", n), strings.Repeat("A", n) + "@"} {
			ev := map[string]any{}
			for _, path := range fields {
				put(ev, path, s, 0, 1)
			}
			evs = append(evs, ev)
		}
	}
	return evs
}
