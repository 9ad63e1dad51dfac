'use strict';
// No secret value of the event (event.secrets) ever reaches the console:
// not from ordinary executions, nor from failure details that hold one.

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');

// VALUES are distinctive secret values, including one with regular
// expression metacharacters, one with a newline and one beyond ASCII.
const VALUES = [
  'tenant-secret-7f3a9c1e',
  'integration-secret-91bc.example',
  'force-secret-c0ffee.example',
  'rx-secret.*+?^${}()|[]\\/-5d1',
  'nl-secret-first-5e7d\nnl-secret-second-8a2c',
  'ütf-secret-€-😀-33aa',
];
// LABELS name VALUES in test names, which must not hold the values.
const LABELS = ['plain', 'a domain', 'another domain', 'regex metacharacters', 'a newline', 'non-ASCII'];

const KEYS = ['TEST_TENANT_ID', 'INTEGRATION_TEST_EMAIL_DOMAIN', 'FORCE_MFA_EMAIL_DOMAIN', 'OTHER_API_KEY'];

// secretsFor returns an event.secrets object holding every value, with
// values[first] as TEST_TENANT_ID.
function secretsFor(first) {
  const secrets = {};
  KEYS.forEach((key, i) => { secrets[key] = VALUES[(first + i) % VALUES.length]; });
  VALUES.forEach((value, i) => { secrets[`EXTRA_${i}`] = value; });
  return secrets;
}

// needles returns the texts that would show value: itself, its form folded
// onto one line, and each of its whitespace-separated pieces.
function needles(value) {
  const pieces = value.split(/\s+/).filter((p) => p.length >= 8);
  return [...new Set([value, value.replace(/\s+/g, ' '), ...pieces])];
}

// assertNoSecret asserts no secret value shows in what run wrote.
function assertNoSecret(run, where) {
  const texts = [...run.logs.map((l) => l.text), ...run.writes];
  for (const value of VALUES) {
    for (const needle of needles(value)) {
      const hit = texts.find((t) => t.includes(needle));
      assert.equal(hit, undefined, `${where}: console output shows secret ${JSON.stringify(needle)}`);
    }
  }
}

const manifest = h.manifest();

describe('secrets in shared cases', () => {
  for (const action of manifest.actions) {
    it(`${action.name}: no secret in the log of any case`, async () => {
      const handler = h.handlerOf(h.load(h.bundlePath(action.bundle)));
      const { cases } = h.readCases(action.name);
      assert.ok(cases.length > 0, `testdata/${action.name}/ has no cases`);
      let n = 0;
      for (const c of cases) {
        const event = structuredClone(c.event);
        if (event === null || typeof event !== 'object' || Array.isArray(event)) continue;
        event.secrets = secretsFor(n++);
        assertNoSecret(await h.execute(handler, event), `${action.name} case ${JSON.stringify(c.name)}`);
      }
      assert.ok(n > 0, 'no case had an object event');
    });
  }
});

describe('secrets in failure details', () => {
  const mfaEvent = (email, first) => ({
    user: { email, app_metadata: { auth_require_mfa: true } },
    tenant: { id: VALUES[first] },
    stats: { logins_count: 12 },
    secrets: secretsFor(first),
  });

  VALUES.forEach((_, first) => {
    it(`echo-secret does not show a TEST_TENANT_ID with ${LABELS[first]}`, async () => {
      const handler = h.handlerOf(h.load(h.bundlePath('faulty_mfa_action.js', { faults: true })));
      const run = await h.execute(handler, mfaEvent('echo-secret@faulty.test', first));
      assertNoSecret(run, 'echo-secret');
      // Each white-space separated piece of a secret is redacted on its
      // own; a TinyGo guest's output shows its first line only.
      const want = h.panicked('the test tenant is [redacted]');
      assert.equal(run.parsed.reason, want.reason, `log line ${run.line}`);
      assert.ok(run.parsed.detail.startsWith(want.detail), `detail in ${run.line}: want it to start with ${want.detail}`);
      assert.match(run.parsed.detail.slice(want.detail.length), /^( \[redacted\])*$/, `detail in ${run.line}`);
    });
  });

  it('a secret longer than the output the shim keeps is not shown in part', async () => {
    const handler = h.handlerOf(h.load(h.bundlePath('faulty_mfa_action.js', { faults: true })));
    const event = mfaEvent('echo-secret@faulty.test', 0);
    event.secrets.TEST_TENANT_ID = `cut-secret-${'0123456789'.repeat(110)}`; // past the 1024 bytes kept
    const run = await h.execute(handler, event);
    assert.ok(!run.line.includes('cut-secret-'), `log line shows the start of the secret: ${run.line}`);
    const want = h.panicked('the test tenant is [redacted]');
    assert.equal(run.parsed.reason, want.reason, `log line ${run.line}`);
    assert.equal(run.parsed.detail, want.detail, `detail in ${run.line}`);
  });

  it('an api error holding a secret does not show it', async () => {
    const handler = h.handlerOf(h.load(h.bundlePath('mfa_action.js')));
    const throwing = { 'multifactor.enable': () => { throw new Error(`denied for ${VALUES.join(' and ')}`); } };
    const run = await h.execute(handler, mfaEvent('jane@example.com', 0), { throwing });
    assertNoSecret(run, 'api-failed');
    assert.match(run.parsed.apiFailed || '', /^multifactor\.enable: denied for \[redacted\]/, `api-failed in ${run.line}`);
  });

  it('an event getter error holding a secret does not show it', async () => {
    const handler = h.handlerOf(h.load(h.bundlePath('mfa_action.js')));
    const event = mfaEvent('jane@example.com', 4);
    Object.defineProperty(event.user, 'email', { enumerable: true, get() { throw new Error(`no ${VALUES[4]}`); } });
    const run = await h.execute(handler, event);
    assertNoSecret(run, 'bad-event');
    assert.equal(run.parsed.detail, 'no [redacted] [redacted]', `detail in ${run.line}: want each line of the secret redacted`);
  });
});
