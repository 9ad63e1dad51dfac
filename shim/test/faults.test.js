'use strict';
// Failures: a misbehaving guest (build/faults/faulty_*.js), broken modules,
// a failing api, events the shim cannot read, and the module state (one
// compile, one instance, replaced after a trap).

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');

const MFA = h.manifestAction('mfa_action');
const ACTIONS = h.manifest().actions;

const fault = (name) => h.bundlePath(name, { faults: true });
const faultyMFA = () => h.handlerOf(h.load(fault('faulty_mfa_action.js')));

// mfaEvent is a post-login event of a user past the first login who needs
// no MFA, unless email asks the faulty guest to misbehave.
function mfaEvent(email) {
  return {
    user: { user_id: 'auth0|faulty', email, app_metadata: {}, user_metadata: {} },
    tenant: { id: 'floatme' },
    transaction: { protocol: 'oidc-basic-profile' },
    stats: { logins_count: 12 },
    request: { ip: '203.0.113.7', body: {} },
    secrets: { TEST_TENANT_ID: 'floatme-test', INTEGRATION_TEST_EMAIL_DOMAIN: 'integration.test' },
  };
}

const ORDINARY = 'jane@example.com';

// assertOrdinary asserts run is the ordinary not-required answer.
function assertOrdinary(run) {
  assert.deepEqual(run.calls, [], `api calls: got ${JSON.stringify(run.calls)}, want none`);
  assert.equal(run.parsed.decision, 'skip', `log line ${run.line}`);
  assert.equal(run.parsed.reason, 'not-required', `log line ${run.line}`);
}

describe('faulty guest under mfa_action', () => {
  const faults = [
    { email: 'panic@faulty.test', ...h.panicked('faulty guest panics on purpose') },
    { email: 'exit@faulty.test', reason: 'guest-trap', detail: 'exited with code 3' },
    { email: 'deadlock@faulty.test', reason: 'guest-trap', detail: /deadlock/ },
    { email: 'forbidden-op@faulty.test', reason: 'forbidden', detail: 'call 1: op is not multifactor.enable' },
    { email: 'forbidden-arg@faulty.test', reason: 'forbidden', detail: 'call 1 multifactor.enable: argument 1: value not allowed' },
    { email: 'too-many@faulty.test', reason: 'forbidden', detail: 'reason mfa-required takes 1 calls, got 2' },
    { email: 'no-challenge@faulty.test', reason: 'forbidden', detail: 'reason mfa-required takes 1 calls, got 0' },
    { email: 'unknown-reason@faulty.test', reason: 'forbidden', detail: 'unknown reason code (7 bytes)' },
    { email: 'garbage@faulty.test', reason: 'bad-response', detail: /^need 4 bytes at byte 2/ },
    { email: 'bad-utf8@faulty.test', reason: 'bad-response', detail: 'string is not valid UTF-8' },
    // A byte-order mark is part of the string: "\uFEFFfirst-login" is no
    // reason of the contract (and no first login), as for the Go host.
    { email: 'bom-reason@faulty.test', reason: 'forbidden', detail: 'unknown reason code (14 bytes)' },
    { email: 'echo-secret@faulty.test', ...h.panicked('the test tenant is [redacted]') },
  ];
  for (const f of faults) {
    it(`${f.email} falls back with reason ${f.reason}`, async () => {
      const run = await h.execute(faultyMFA(), mfaEvent(f.email));
      h.assertFallback(run, 'mfa_action', f.reason, 'guest');
      if (typeof f.detail === 'string') assert.equal(run.parsed.detail, f.detail, `detail in ${run.line}`);
      else assert.match(run.parsed.detail, f.detail, `detail in ${run.line}`);
    });
  }

  it('an ordinary email gets the mfa decision', async () => {
    assertOrdinary(await h.execute(faultyMFA(), mfaEvent(ORDINARY)));
    const ev = mfaEvent(ORDINARY);
    ev.user.app_metadata.auth_require_mfa = true;
    const run = await h.execute(faultyMFA(), ev);
    assert.deepEqual(run.calls, MFA.contract.fallback, 'api calls for auth_require_mfa true');
    assert.equal(run.parsed.reason, 'mfa-required', `log line ${run.line}`);
    assert.equal(run.parsed.decision, 'challenge', `log line ${run.line}`);
  });
});

// compiles and instances sum the ways of compiling and of instantiating a module.
const compiles = (c) => c.compile + c.Module;
const instances = (c) => c.instantiate + c.Instance;

describe('module state of a fresh bundle', () => {
  const traps = ['exit@faulty.test', 'deadlock@faulty.test'];
  if (h.panicked('').reason === 'guest-trap') traps.push('panic@faulty.test');
  for (const trap of traps) {
    it(`after a trap (${trap}) the next execution works on a new instance of the same module`, async () => {
      const wasm = h.countWasm();
      try {
        const handler = h.handlerOf(h.load(fault('faulty_mfa_action.js'), { fresh: true }));
        assertOrdinary(await h.execute(handler, mfaEvent(ORDINARY)));
        h.assertFallback(await h.execute(handler, mfaEvent(trap)), 'mfa_action', 'guest-trap', 'guest');
        assertOrdinary(await h.execute(handler, mfaEvent(ORDINARY)));
        assert.equal(compiles(wasm.counts), 1, `compiles: got ${JSON.stringify(wasm.counts)}, want 1`);
        assert.equal(instances(wasm.counts), 2, `instances: got ${JSON.stringify(wasm.counts)}, want 2 (one, replaced once)`);

        for (let i = 0; i < 50; i++) assertOrdinary(await h.execute(handler, mfaEvent(ORDINARY)));
        assert.equal(compiles(wasm.counts), 1, `after 50 more executions, compiles: got ${JSON.stringify(wasm.counts)}, want 1`);
        assert.equal(instances(wasm.counts), 2, `after 50 more executions, instances: got ${JSON.stringify(wasm.counts)}, want 2`);
      } finally {
        wasm.restore();
      }
    });
  }

  it('a module that exhausts its memory maximum falls back, and the next execution gets a fresh instance', async () => {
    const wasm = h.countWasm();
    try {
      const handler = h.handlerOf(h.load(fault('faulty_mfa_action.js'), { fresh: true }));
      assertOrdinary(await h.execute(handler, mfaEvent(ORDINARY)));
      // Without a maximum the guest allocates 256 MiB and answers not-required.
      const run = await h.execute(handler, mfaEvent('exhaust@faulty.test'));
      h.assertFallback(run, 'mfa_action', 'guest-trap', 'guest');
      assert.match(run.parsed.detail, /out of memory/, `detail in ${run.line}`);
      assertOrdinary(await h.execute(handler, mfaEvent(ORDINARY)));
      assert.equal(instances(wasm.counts), 2, `instances: got ${JSON.stringify(wasm.counts)}, want 2 (one, replaced once)`);
    } finally {
      wasm.restore();
    }
  });

  it('poll_oneoff blocks for a clock subscription and reports it', async () => {
    const handler = h.handlerOf(h.load(fault('faulty_mfa_action.js'), { fresh: true }));
    assertOrdinary(await h.execute(handler, mfaEvent(ORDINARY)));
    const start = process.hrtime.bigint();
    const run = await h.execute(handler, mfaEvent('sleep@faulty.test'));
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    assertOrdinary(run); // the guest panics unless it got its event back
    assert.ok(ms >= 20, `the guest asked for 20 ms, the execution took ${ms} ms`);
  });

  it('executions that start together share one instance', async () => {
    const wasm = h.countWasm();
    try {
      const handler = h.handlerOf(h.load(fault('faulty_mfa_action.js'), { fresh: true }));
      const apis = [1, 2, 3].map(() => h.recordingApi(MFA.trigger.id));
      const got = await h.captureConsole(() => Promise.all(apis.map(({ api }) => handler(mfaEvent(ORDINARY), api))));
      assert.equal(got.logs.length, 3, `log lines: ${JSON.stringify(got.logs)}`);
      for (const log of got.logs) assert.equal(h.parseLine(log.text).reason, 'not-required', log.text);
      assert.deepEqual([compiles(wasm.counts), instances(wasm.counts)], [1, 1],
        `[compiles, instances]: got ${JSON.stringify(wasm.counts)}, want one of each`);
    } finally {
      wasm.restore();
    }
  });

  for (const trap of ['exit@faulty.test', 'deadlock@faulty.test']) {
    it(`executions running together with a trap (${trap}) never call the trapped instance again`, async () => {
      const wasm = h.countWasm();
      try {
        const handler = h.handlerOf(h.load(fault('faulty_mfa_action.js'), { fresh: true }));
        const emails = [trap, ORDINARY, ORDINARY, ORDINARY];
        const apis = emails.map(() => h.recordingApi(MFA.trigger.id));
        const got = await h.captureConsole(() => Promise.all(emails.map((e, i) => handler(mfaEvent(e), apis[i].api))));
        const reasons = got.logs.map((l) => h.parseLine(l.text).reason).sort();
        assert.deepEqual(reasons, ['guest-trap', 'not-required', 'not-required', 'not-required'],
          `log lines: ${JSON.stringify(got.logs.map((l) => l.text))}`);
        assert.equal(instances(wasm.counts), 2, `instances: got ${JSON.stringify(wasm.counts)}, want 2`);
      } finally {
        wasm.restore();
      }
    });
  }

  it('a failure that is not a trap keeps the instance', async () => {
    const wasm = h.countWasm();
    try {
      const handler = h.handlerOf(h.load(fault('faulty_mfa_action.js'), { fresh: true }));
      assertOrdinary(await h.execute(handler, mfaEvent(ORDINARY)));
      const notTraps = ['garbage@faulty.test', 'forbidden-op@faulty.test'];
      if (h.panicked('').reason !== 'guest-trap') notTraps.push('panic@faulty.test');
      for (const email of notTraps) {
        const run = await h.execute(handler, mfaEvent(email));
        assert.equal(run.parsed.decision, 'fallback', `${email}: ${run.line}`);
      }
      assertOrdinary(await h.execute(handler, mfaEvent(ORDINARY)));
      assert.deepEqual([compiles(wasm.counts), instances(wasm.counts)], [1, 1],
        `[compiles, instances]: got ${JSON.stringify(wasm.counts)}, want one of each`);
    } finally {
      wasm.restore();
    }
  });
});

describe('reused answers', () => {
  // The shim reuses a checked result for response bytes it has seen; a
  // refused response must be refused every time, and an allowed one must
  // keep giving its own calls between others.
  it('a refused response is refused again, an allowed one answers again', async () => {
    const handler = h.handlerOf(h.load(fault('faulty_mfa_action.js'), { fresh: true }));
    for (let round = 1; round <= 3; round++) {
      assertOrdinary(await h.execute(handler, mfaEvent(ORDINARY)));
      for (const email of ['forbidden-op@faulty.test', 'unknown-reason@faulty.test']) {
        const run = await h.execute(handler, mfaEvent(email));
        h.assertFallback(run, 'mfa_action', 'forbidden', 'guest');
      }
    }
  });
});

describe('faulty guest under a contract it does not expect', () => {
  // The faulty guest serves mfa_action's contract: it refuses a request
  // with another number of fields.
  const fields = MFA.contract.reads.length;
  for (const action of ACTIONS.filter((a) => a.contract.reads.length !== fields)) {
    it(`faulty_${action.name}.js falls back with reason guest-error`, async () => {
      const handler = h.handlerOf(h.load(fault(`faulty_${action.name}.js`)));
      const run = await h.execute(handler, mfaEvent(ORDINARY));
      h.assertFallback(run, action.name, 'guest-error', 'guest');
      const want = `bad-request: ${action.contract.reads.length} fields, want ${fields}`;
      assert.equal(run.parsed.detail, want, `detail in ${run.line}`);
    });
  }
});

describe('a module that does not load', () => {
  const broken = [
    ['truncated', /^WebAssembly\.Module\(\)/],
    ['notwasm', /magic word/],
    ['cutpayload', /^the embedded module decodes to \d+ bytes, the bundle says \d+$/],
    ['tampered', /^@faults\/tampered-[a-z-]+@0\.0\.0-fault\/[a-z_]+\.wasm: SHA-256 [0-9a-f]{12}…, the bundle pins [0-9a-f]{12}…$/],
    ['missingpkg', /^@faults\/missingpkg-[a-z-]+@0\.0\.0-fault\/[a-z_]+\.wasm is not installed: list it in the Action's dependencies$/],
  ];
  for (const { name: action } of ACTIONS) {
    for (const [kind, detail] of broken) {
      const file = `${kind}_${action}.js`;
      it(`${file} falls back with ${action}'s fallback and reason module-load, every time`, async () => {
        const handler = h.handlerOf(h.load(fault(file), { fresh: true }));
        for (const attempt of ['first', 'second']) {
          const run = await h.execute(handler, mfaEvent(ORDINARY));
          h.assertFallback(run, action, 'module-load', 'shim');
          assert.match(run.parsed.detail, detail, `${attempt} execution: detail in ${run.line}`);
        }
      });
    }
  }
});

describe('a response outside guest memory', () => {
  for (const { name: action } of ACTIONS) {
    const file = `badpointer_${action}.js`;
    it(`${file} falls back with reason bad-response`, async () => {
      const handler = h.handlerOf(h.load(fault(file), { fresh: true }));
      const run = await h.execute(handler, mfaEvent(ORDINARY));
      h.assertFallback(run, action, 'bad-response', 'guest');
      assert.equal(run.parsed.detail, `64 bytes at ${2 ** 32 - 16} are outside guest memory`, `detail in ${run.line}`);
    });
  }
});

describe('failures around the guest', () => {
  const mfa = () => h.handlerOf(h.load(h.bundlePath('mfa_action.js')));
  const needsMFA = () => {
    const ev = mfaEvent(ORDINARY);
    ev.user.app_metadata.auth_require_mfa = true;
    return ev;
  };

  it('an api call that throws is logged as api-failed', async () => {
    const throwing = { 'multifactor.enable': () => { throw new Error('api is down'); } };
    const run = await h.execute(mfa(), needsMFA(), { throwing });
    assert.deepEqual(run.calls, [], 'recorded calls (the call threw)');
    assert.equal(run.parsed.reason, 'mfa-required', `log line ${run.line}`);
    assert.equal(run.parsed.calls, 0, `calls= counts only calls that worked: ${run.line}`);
    assert.equal(run.parsed.apiFailed, 'multifactor.enable: api is down', `api-failed in ${run.line}`);
  });

  const unprintable = Object.create(null); // String() of it throws
  for (const [what, thrown] of [['null', null], ['undefined', undefined], ['a string', 'api is down'], ['an unprintable object', unprintable]]) {
    it(`an api call that throws ${what} is logged as api-failed`, async () => {
      const throwing = { 'multifactor.enable': () => { throw thrown; } };
      const run = await h.execute(mfa(), needsMFA(), { throwing });
      assert.equal(run.parsed.reason, 'mfa-required', `log line ${run.line}`);
      assert.match(run.parsed.apiFailed || '', /^multifactor\.enable: /, `api-failed in ${run.line}`);
    });
  }

  it('a secret too short to redact safely withholds the whole detail', async () => {
    const ev = mfaEvent('echo-secret@faulty.test');
    ev.secrets.TEST_TENANT_ID = 't';
    const run = await h.execute(faultyMFA(), ev);
    h.assertFallback(run, 'mfa_action', h.panicked('').reason, 'guest');
    assert.equal(run.parsed.detail, '(withheld: a secret is too short to redact)', `detail in ${run.line}`);
  });

  it('a getter that throws on a field the action reads gives bad-event', async () => {
    const ev = mfaEvent(ORDINARY);
    Object.defineProperty(ev.user, 'email', { enumerable: true, get() { throw new Error('no email today'); } });
    const run = await h.execute(mfa(), ev);
    h.assertFallback(run, 'mfa_action', 'bad-event', 'shim');
    assert.equal(run.parsed.detail, 'no email today', `detail in ${run.line}`);
  });

  it('a getter that throws a non-Error value gives bad-event', async () => {
    const ev = mfaEvent(ORDINARY);
    Object.defineProperty(ev.user, 'email', { enumerable: true, get() { throw null; } });
    const run = await h.execute(mfa(), ev);
    h.assertFallback(run, 'mfa_action', 'bad-event', 'shim');
  });

  it('a failure detail longer than the log limit is clipped to 256 characters', async () => {
    const ev = mfaEvent(ORDINARY);
    Object.defineProperty(ev.user, 'email', { enumerable: true, get() { throw new Error('x'.repeat(1000)); } });
    const run = await h.execute(mfa(), ev);
    h.assertFallback(run, 'mfa_action', 'bad-event', 'shim');
    assert.equal(run.line.length, h.LOG_LIMIT, `characters in ${run.line}`);
    assert.match(run.parsed.detail, /^x+…$/, 'the clipped detail');
  });

  it('clipping never splits a surrogate pair', async () => {
    for (const pad of ['', 'x']) {
      const ev = mfaEvent(ORDINARY);
      Object.defineProperty(ev.user, 'email', { enumerable: true, get() { throw new Error(pad + '😀'.repeat(500)); } });
      const run = await h.execute(mfa(), ev);
      assert.ok(run.line.length <= h.LOG_LIMIT, `characters in ${run.line}`);
      assert.match(run.line, /😀…$/u, 'the line ends with a whole emoji, then the ellipsis');
      assert.equal(Buffer.from(run.line, 'utf8').toString('utf8'), run.line, 'the line is well-formed UTF-16');
    }
  });

  for (const action of ACTIONS) {
    for (const event of [null, undefined]) {
      it(`${action.name} with event ${event} decides as if every field were missing`, async () => {
        const handler = h.handlerOf(h.load(h.bundlePath(action.bundle)));
        const want = await h.execute(handler, {});
        const run = await h.execute(handler, event);
        assert.deepEqual(run.calls, want.calls, `api calls: got ${JSON.stringify(run.calls)}, want those of the event {}`);
        assert.equal(run.parsed.reason, want.parsed.reason, `log line ${run.line}, with the event {}: ${want.line}`);
        assert.notEqual(run.parsed.decision, 'fallback', `log line ${run.line}`);
      });
    }
  }
});
