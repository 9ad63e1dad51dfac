'use strict';
// Events and api objects an attacker shapes: executions started from inside
// another one, api methods that return promises, secrets the redaction must
// find however they are held, strings that are not well-formed UTF-16,
// BigInts, and a polluted Object.prototype. Each must leave the decision
// the one the event's own fields give, fail closed, and log no secret.

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const Module = require('module');
const path = require('path');
const h = require('./helpers');

const mfa = () => h.handlerOf(h.load(h.bundlePath('mfa_action.js')));
const ipmeta = () => h.handlerOf(h.load(h.bundlePath('add_ip_to_metadata.js')));
const faultyMFA = () => h.handlerOf(h.load(h.bundlePath('faulty_mfa_action.js', { faults: true })));

// LOGIN is the trigger of mfa_action, whose bundles the api objects built
// here are passed to.
const LOGIN = h.triggerOf('mfa_action');
const CHALLENGE = [{ op: 'multifactor.enable', args: ['any'] }];

// loginEvent is a post-login event of a returning user; fields overrides
// parts of it, keyed by dotted path.
function loginEvent(fields = {}) {
  const ev = {
    user: { email: 'jane@example.com', app_metadata: {}, user_metadata: {} },
    tenant: { id: 'floatme' },
    transaction: { protocol: 'oidc-basic-profile' },
    stats: { logins_count: 12 },
    request: { ip: '203.0.113.7', body: {} },
    secrets: { TEST_TENANT_ID: 'floatme-test', INTEGRATION_TEST_EMAIL_DOMAIN: 'integration.test' },
  };
  for (const [at, value] of Object.entries(fields)) {
    const steps = at.split('.');
    const last = steps.pop();
    let obj = ev;
    for (const step of steps) obj = obj[step];
    obj[last] = value;
  }
  return ev;
}

// assertDecided asserts run made calls and logged reason, with no failure.
function assertDecided(run, reason, calls) {
  assert.equal(run.parsed.reason, reason, `log line ${run.line}`);
  assert.deepEqual(run.calls, calls, `api calls: got ${JSON.stringify(run.calls)}, want ${JSON.stringify(calls)}`);
}

describe('an execution started while another reads its event', () => {
  // startInner makes the getter at obj[key] start handler(inner) once,
  // synchronously, before returning value; it returns the inner execution's
  // recording api and a promise of its end.
  function startInner(handler, obj, key, value, inner) {
    const state = { rec: h.recordingApi(LOGIN), done: Promise.resolve() };
    let started = false;
    Object.defineProperty(obj, key, {
      enumerable: true,
      get() {
        if (!started) {
          started = true;
          state.done = handler(inner, state.rec.api);
        }
        return value;
      },
    });
    return state;
  }

  // runBoth runs handler(outer) and waits for the inner execution too; it
  // returns the outer calls and both log lines, parsed, by reason.
  async function runBoth(handler, outer, inner) {
    const { api, calls } = h.recordingApi(LOGIN);
    const got = await h.captureConsole(async () => { await handler(outer, api); await inner.done; });
    const lines = got.logs.map((l) => h.parseLine(l.text));
    return { calls, lines };
  }

  it('mfa_action: the outer user who must pass MFA is challenged, the inner first login skips', async () => {
    const handler = mfa();
    const outer = loginEvent({ 'user.app_metadata.auth_require_mfa': true });
    const inner = startInner(handler, outer.user, 'email', 'jane@example.com', loginEvent({ 'stats.logins_count': 1 }));
    const { calls, lines } = await runBoth(handler, outer, inner);
    assert.deepEqual(lines.map((l) => l.reason).sort(), ['first-login', 'mfa-required'], `log lines ${JSON.stringify(lines)}`);
    assert.deepEqual(calls, CHALLENGE, 'the outer execution\'s calls');
    assert.deepEqual(inner.rec.calls, [], 'the inner execution\'s calls');
  });

  it('add_ip_to_metadata: each user gets their own IP', async () => {
    const handler = ipmeta();
    const outer = loginEvent({ 'request.ip': '198.51.100.1' });
    const inner = startInner(handler, outer.user.user_metadata, 'last_ip', '192.0.2.9', loginEvent({ 'request.ip': '192.0.2.200' }));
    const { calls, lines } = await runBoth(handler, outer, inner);
    assert.deepEqual(lines.map((l) => l.reason), ['recorded', 'recorded'], `log lines ${JSON.stringify(lines)}`);
    assert.deepEqual(calls, [{ op: 'user.setUserMetadata', args: ['last_ip', '198.51.100.1'] }], 'the outer execution\'s calls');
    assert.deepEqual(inner.rec.calls, [{ op: 'user.setUserMetadata', args: ['last_ip', '192.0.2.200'] }], 'the inner execution\'s calls');
  });
});

describe('an api method that returns a promise', () => {
  const SECRET = 'promise-secret-8c1d4e';
  const rejecting = {
    'a rejected promise': () => Promise.reject(new Error(`denied for ${SECRET}`)),
    'a thenable that rejects': () => ({ then(_, reject) { reject(new Error(`denied for ${SECRET}`)); } }),
    'a promise whose then is replaced': () => {
      const p = Promise.reject(new Error(`denied for ${SECRET}`));
      p.then = () => {};
      return p;
    },
    'a fulfilled promise': () => Promise.resolve(),
  };
  for (const [what, returned] of Object.entries(rejecting)) {
    it(`${what} is api-failed, and no rejection is left unhandled`, async () => {
      const unhandled = [];
      const onUnhandled = (reason) => unhandled.push(reason);
      process.on('unhandledRejection', onUnhandled);
      try {
        const { api } = h.recordingApi(LOGIN);
        api.multifactor.enable = returned;
        const ev = loginEvent({ 'user.app_metadata.auth_require_mfa': true });
        ev.secrets.OTHER = SECRET;
        const got = await h.captureConsole(() => mfa()(ev, api));
        h.assertResolved({ result: got.value, error: got.error });
        for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
        assert.deepEqual(unhandled.map(String), [], 'unhandled rejections');
        assert.equal(got.logs.length, 1, `log lines ${JSON.stringify(got.logs)}`);
        const line = h.parseLine(got.logs[0].text);
        assert.equal(line.reason, 'mfa-required', `log line ${got.logs[0].text}`);
        assert.equal(line.calls, 0, `calls= in ${got.logs[0].text}`);
        assert.equal(line.apiFailed, 'multifactor.enable: returned a promise (api methods are synchronous)', `api-failed in ${got.logs[0].text}`);
        assert.ok(![...got.logs.map((l) => l.text), ...got.writes].some((t) => t.includes(SECRET)), 'the secret is shown');
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
    });
  }
});

// needles returns what would show value in a log line: itself, its
// well-formed form (lone surrogates as U+FFFD, as UTF-8 carries them), and
// every white-space separated piece of either.
function needles(value) {
  const forms = [value, Buffer.from(value, 'utf8').toString('utf8')];
  return [...new Set(forms.flatMap((f) => [f, ...f.split(/[\s\u0085]+/)]).filter((n) => n.length >= 4))];
}

function assertNoSecret(run, value) {
  const texts = [run.line, ...run.writes];
  for (const needle of needles(value)) {
    assert.ok(!texts.some((t) => t.includes(needle)), `the log shows ${JSON.stringify(needle)}: ${run.line}`);
  }
}

describe('secrets the redaction must find', () => {
  const VALUE = 'hidden-secret-4b7e91';
  // holders make event.secrets hold VALUE as TEST_TENANT_ID in unusual ways.
  const holders = {
    'inherited': () => Object.create({ TEST_TENANT_ID: VALUE }),
    'non-enumerable': () => Object.defineProperty({}, 'TEST_TENANT_ID', { value: VALUE, enumerable: false }),
    'a getter': () => ({ get TEST_TENANT_ID() { return VALUE; } }),
    'a Proxy whose ownKeys throws': () => new Proxy({ TEST_TENANT_ID: VALUE }, { ownKeys() { throw new Error('no keys'); } }),
    'a Proxy whose ownKeys lies': () => new Proxy({ TEST_TENANT_ID: VALUE }, { ownKeys() { return []; } }),
  };
  for (const [how, secrets] of Object.entries(holders)) {
    it(`a secret held by ${how} is not shown by an echoing guest`, async () => {
      const run = await h.execute(faultyMFA(), loginEvent({ 'user.email': 'echo-secret@faulty.test', secrets: secrets() }));
      assert.equal(run.parsed.decision, 'fallback', `log line ${run.line}`);
      assertNoSecret(run, VALUE);
    });
    it(`a secret held by ${how} is not shown in an api error`, async () => {
      const throwing = { 'multifactor.enable': () => { throw new Error(`denied for ${VALUE}`); } };
      const ev = loginEvent({ 'user.app_metadata.auth_require_mfa': true, secrets: secrets() });
      const run = await h.execute(mfa(), ev, { throwing });
      assertNoSecret(run, VALUE);
    });
  }

  const values = {
    'a lone surrogate': 'lone-secret-\ud800-tail-9a',
    'a leading byte-order mark': '\ufeffbom-secret-5c2a77',
    'two long pieces': 'first-piece-1234 second-piece-5678',
  };
  for (const [what, value] of Object.entries(values)) {
    it(`a secret with ${what} is not shown by an echoing guest`, async () => {
      const run = await h.execute(faultyMFA(), loginEvent({ 'user.email': 'echo-secret@faulty.test', 'secrets.TEST_TENANT_ID': value }));
      assertNoSecret(run, value);
    });
  }

  it('a secret is found whatever white space an error puts between its pieces', async () => {
    const value = values['two long pieces'];
    const throwing = { 'multifactor.enable': () => { throw new Error(`denied for ${value.replace(' ', '\t')}`); } };
    const ev = loginEvent({ 'user.app_metadata.auth_require_mfa': true, 'secrets.OTHER': value });
    const run = await h.execute(mfa(), ev, { throwing });
    assertNoSecret(run, value);
    assert.equal(run.parsed.apiFailed, 'multifactor.enable: denied for [redacted] [redacted]', `api-failed in ${run.line}`);
  });

  it('a secret with a piece too short to redact withholds the text', async () => {
    const throwing = { 'multifactor.enable': () => { throw new Error('denied for abc\tdefgh'); } };
    const ev = loginEvent({ 'user.app_metadata.auth_require_mfa': true, 'secrets.OTHER': 'abc defgh' });
    const run = await h.execute(mfa(), ev, { throwing });
    assert.equal(run.parsed.apiFailed, '(withheld: a secret is too short to redact)', `api-failed in ${run.line}`);
  });
});

describe('a string that is not well-formed UTF-16 makes the event unreadable', () => {
  const NEEDS_MFA = { 'user.app_metadata.auth_require_mfa': true };
  const REFRESH = { 'transaction.protocol': 'oauth2-refresh-token' };
  // Each test tenant or domain pair below would be equal after U+FFFD took
  // each lone surrogate's place, skipping a user who must pass MFA.
  const tests = [
    ['a lone low surrogate tenant and a lone high surrogate TEST_TENANT_ID', 'tenant.id',
      { ...REFRESH, 'tenant.id': 'tenant-\udc00', 'secrets.TEST_TENANT_ID': 'tenant-\ud800' }],
    ['a tenant with a lone surrogate and a TEST_TENANT_ID with U+FFFD', 'tenant.id',
      { ...REFRESH, 'tenant.id': 'tenant-x\ud800', 'secrets.TEST_TENANT_ID': 'tenant-x\ufffd' }],
    ['a tenant with U+FFFD and a TEST_TENANT_ID with a lone surrogate', 'secrets.TEST_TENANT_ID',
      { ...REFRESH, 'tenant.id': 'tenant-x\ufffd', 'secrets.TEST_TENANT_ID': 'tenant-x\udfff' }],
    ['an email domain and an integration test domain with lone surrogates', 'user.email',
      { 'tenant.id': 'floatme-test', 'user.email': 'a@\ud800.test', 'secrets.INTEGRATION_TEST_EMAIL_DOMAIN': '\udc00.test' }],
    ['an email domain with U+FFFD and an integration test domain with a lone surrogate', 'secrets.INTEGRATION_TEST_EMAIL_DOMAIN',
      { 'tenant.id': 'floatme-test', 'user.email': 'a@\ufffd.test', 'secrets.INTEGRATION_TEST_EMAIL_DOMAIN': '\udbff.test' }],
    ['a lone surrogate in the local part of a force-MFA email', 'user.email',
      { ...REFRESH, 'tenant.id': 'floatme-test', 'user.email': '\ud800jane@forcemfa.floatme.io' }],
  ];
  for (const [name, at, fields] of tests) {
    it(`${name} (secrets of 8 bytes or more): mfa_action falls back (bad-event) and challenges`, async () => {
      const run = await h.execute(mfa(), loginEvent({ ...NEEDS_MFA, ...fields }));
      h.assertFallback(run, 'mfa_action', 'bad-event', 'shim');
      assert.equal(run.parsed.detail, `${at}: a string that is not well-formed UTF-16 (a lone surrogate)`, `detail in ${run.line}`);
    });
  }

  it('a last_ip with a lone surrogate: add_ip_to_metadata falls back (bad-event), writing nothing', async () => {
    const run = await h.execute(ipmeta(), loginEvent({ 'user.user_metadata.last_ip': '203.0.113.7\ud800' }));
    h.assertFallback(run, 'add_ip_to_metadata', 'bad-event', 'shim');
  });

  it('a well-formed surrogate pair is a string like any other', async () => {
    const ev = loginEvent({ ...REFRESH, 'tenant.id': 'x\ud83d\ude00', 'secrets.TEST_TENANT_ID': 'x😀' });
    assertDecided(await h.execute(mfa(), ev), 'test-tenant-refresh', []);
  });

  it('a lone surrogate in a field no action reads changes nothing', async () => {
    const ev = loginEvent({ 'user.user_id': '\ud800', 'user.app_metadata.auth_require_mfa': true });
    assertDecided(await h.execute(mfa(), ev), 'mfa-required', CHALLENGE);
  });
});

describe('a BigInt is not a number for the decision', () => {
  it('a login count of 1n is unknown, not a first login', async () => {
    const ev = loginEvent({ 'stats.logins_count': 1n, 'user.app_metadata.auth_require_mfa': true });
    assertDecided(await h.execute(mfa(), ev), 'mfa-required', CHALLENGE);
  });
  it('challengeRequired 0n is a challenge requested', async () => {
    const ev = loginEvent({ 'request.body.challengeRequired': 0n });
    assertDecided(await h.execute(mfa(), ev), 'challenge-requested', CHALLENGE);
  });
});

// POLLUTED are the names Object.prototype gets in the pollution tests:
// every property name the shim's source reads or writes, the steps of every
// contract's reads, and the name the review used; none of them is a name
// Object.prototype has or a property descriptor's (which Node itself reads).
const POLLUTED = (() => {
  const source = fs.readFileSync(path.join(h.ROOT, 'shim', 'shim.js'), 'utf8');
  const names = new Set(['dead']);
  for (const m of source.matchAll(/\.([A-Za-z_$][\w$]*)|\b([A-Za-z_$][\w$]*)\s*:/g)) names.add(m[1] || m[2]);
  for (const a of h.manifest().actions) {
    const bundle = fs.readFileSync(h.bundlePath(a.bundle), 'utf8');
    for (const m of bundle.matchAll(/"reads":\[([^\]]*)\]/g)) {
      for (const p of JSON.parse(`[${m[1]}]`)) p.split('.').forEach((s) => names.add(s));
    }
  }
  const descriptor = ['get', 'set', 'value', 'writable', 'enumerable', 'configurable'];
  return [...names].filter((n) => !(n in Object.prototype) && !descriptor.includes(n)).sort();
})();

// polluted runs fn with every POLLUTED name set to 1 on Object.prototype
// while fn runs synchronously, and awaits what it returns after cleaning up.
async function polluted(fn) {
  for (const n of POLLUTED) Object.defineProperty(Object.prototype, n, { value: 1, writable: true, configurable: true });
  let pending;
  try {
    pending = fn();
  } finally {
    for (const n of POLLUTED) delete Object.prototype[n];
  }
  return pending;
}

// loadPolluted evaluates a bundle afresh, polluted when its module is
// embedded. Node's own loader fails under pollution (it reads options
// objects), so the bundle's source is run as the loader would run it; a
// packaged module is read through that loader, so its bundle loads clean.
async function loadPolluted(action) {
  const file = h.bundlePath(action.bundle);
  const run = new Function('exports', 'require', 'module', '__filename', '__dirname', fs.readFileSync(file, 'utf8'));
  const mod = { exports: {} };
  const evaluate = () => run(mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  if (action.delivery === 'embedded') await polluted(evaluate);
  else evaluate();
  return h.handlerOf(mod.exports);
}

describe('a polluted Object.prototype changes nothing', () => {
  it(`pollutes ${POLLUTED.length} names, the shim's and the reads' among them`, () => {
    for (const n of ['dead', 'error', 'maxLen', 'oneOf', 'package', 'logins_count', 'challengeRequired']) {
      assert.ok(POLLUTED.includes(n), `${n} is not among the polluted names`);
    }
  });

  for (const action of h.manifest().actions) {
    it(`${action.name}: every shared case decides as its case says, run polluted`, async () => {
      const { cases } = h.readCases(action.name);
      const handler = await loadPolluted(action);
      for (const c of cases) {
        const { api, calls } = h.recordingApi(action.trigger.id);
        const got = await h.captureConsole(() => polluted(() => handler(structuredClone(c.event), api)));
        assert.equal(got.logs.length, 1, `${c.name}: log lines ${JSON.stringify(got.logs)}`);
        const line = h.parseLine(got.logs[0].text);
        assert.equal(line.reason, c.reason, `${c.name}: log line ${got.logs[0].text}`);
        assert.deepEqual(calls, c.calls, `${c.name}: api calls`);
      }
    });
  }

  it('a trapping guest under pollution falls back, and the next execution works', async () => {
    const handler = h.handlerOf(h.load(h.bundlePath('faulty_mfa_action.js', { faults: true }), { fresh: true }));
    for (const [email, reason] of [['exit@faulty.test', 'guest-trap'], ['jane@example.com', 'not-required'], ['forbidden-op@faulty.test', 'forbidden']]) {
      const got = await h.captureConsole(() => polluted(() => handler(loginEvent({ 'user.email': email }), h.recordingApi(LOGIN).api)));
      assert.equal(got.logs.length, 1, `${email}: log lines ${JSON.stringify(got.logs)}`);
      assert.equal(h.parseLine(got.logs[0].text).reason, reason, `${email}: log line ${got.logs[0].text}`);
    }
  });
});

describe('values that try to pass for others', () => {
  const coercing = { toJSON: () => true, valueOf: () => 1, toString: () => 'true', [Symbol.toPrimitive]: () => 1 };
  const tests = [
    ['a login count object that converts to 1 is not a number', { 'stats.logins_count': coercing, ...{ 'user.app_metadata.auth_require_mfa': true } }, 'mfa-required'],
    ['an MFA flag object that converts to true is no flag', { 'user.app_metadata.auth_require_mfa': coercing }, 'challenge-requested', { 'request.body.challengeRequired': true }],
    ['a login count of -0 is a first login', { 'stats.logins_count': -0 }, 'first-login'],
    ['a login count of NaN is not a first login', { 'stats.logins_count': NaN }, 'not-required'],
    ['a function for the MFA flag is no flag', { 'user.app_metadata.auth_require_mfa': () => true }, 'not-required'],
    ['a symbol for challengeRequired requests a challenge', { 'request.body.challengeRequired': Symbol('x') }, 'challenge-requested'],
    ['a NUL after true is not true', { 'user.app_metadata.auth_require_mfa': 'true\u0000' }, 'not-required'],
  ];
  for (const [name, fields, reason, more = {}] of tests) {
    it(name, async () => {
      const run = await h.execute(mfa(), loginEvent({ ...fields, ...more }));
      assert.equal(run.parsed.reason, reason, `log line ${run.line}`);
    });
  }

  it('a revoked Proxy as a field is bad-event', async () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const run = await h.execute(mfa(), loginEvent({ 'request.body.challengeRequired': proxy }));
    h.assertFallback(run, 'mfa_action', 'bad-event', 'shim');
  });

  it('a revoked Proxy on the path is bad-event', async () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const run = await h.execute(mfa(), loginEvent({ 'request.body': proxy }));
    h.assertFallback(run, 'mfa_action', 'bad-event', 'shim');
  });

  it('a secret getter answering differently on every read shows none of its answers', async () => {
    let n = 0;
    const secrets = { get TEST_TENANT_ID() { n++; return `changing-secret-${n}-abcdef`; } };
    const run = await h.execute(faultyMFA(), loginEvent({ 'user.email': 'echo-secret@faulty.test', secrets }));
    assert.equal(run.parsed.decision, 'fallback', `log line ${run.line}`);
    assert.doesNotMatch(run.line, /changing-secret/, 'the log shows an answer of the getter');
  });
});
