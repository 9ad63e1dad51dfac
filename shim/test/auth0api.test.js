'use strict';
// The api mocks every test uses come from internal/auth0api/api.json.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const api = require('../../internal/auth0api/auth0api.js');

const ROOT = path.resolve(__dirname, '..', '..');

test('every described method is a function at its path and records its call', () => {
  for (const [trigger, t] of Object.entries(api.DESCRIPTION)) {
    const rec = api.recordingApi(trigger);
    for (const op of Object.keys(t.methods)) {
      const fn = op.split('.').reduce((o, step) => o && o[step], rec.api);
      assert.equal(typeof fn, 'function', `${trigger}: api.${op}`);
      fn('a', 1);
    }
    assert.deepEqual(rec.calls, Object.keys(t.methods).map((op) => ({ op, args: ['a', 1] })), trigger);
  }
});

test('calls return what Auth0 returns: the api object to chain, undefined for null', () => {
  const { api: a, calls } = api.recordingApi('post-login');
  assert.equal(a.multifactor.enable('any').user.setAppMetadata('k', true), a);
  assert.equal(a.cache.get('k'), undefined);
  assert.deepEqual(a.cache.set('k', 'v'), { type: 'success' });
  assert.deepEqual(calls.map((c) => c.op), ['multifactor.enable', 'user.setAppMetadata', 'cache.get', 'cache.set']);
});

test('a method a trigger lacks is absent, and an unknown trigger is refused by name', () => {
  assert.equal(api.recordingApi('pre-user-registration').api.multifactor, undefined);
  assert.throws(() => api.recordingApi('post-logon'), /no api object is described for the trigger "post-logon"/);
});

test('throwing runs before the call is recorded', () => {
  const { api: a, calls } = api.recordingApi('post-login', { 'access.deny': () => { throw new Error('no'); } });
  assert.throws(() => a.access.deny('r'), /no/);
  assert.deepEqual(calls, []);
});

// HAND_MOCK matches an api object written by hand: a namespace of the api
// holding one of its methods, as an object literal.
const HAND_MOCK = /\b(multifactor|access|user|accessToken|idToken|authentication)\s*:\s*\{\s*(enable|deny|set[A-Z]\w*|challenge\w*)\b/;

test('no JavaScript of the repository builds an api object by hand', () => {
  for (const dir of ['actions', 'internal', 'shim']) {
    for (const file of fs.readdirSync(path.join(ROOT, dir), { recursive: true })) {
      if (!file.endsWith('.js')) continue;
      const source = fs.readFileSync(path.join(ROOT, dir, file), 'utf8');
      assert.doesNotMatch(source, HAND_MOCK, `${dir}/${file} builds an api object by hand: use internal/auth0api/auth0api.js (apiFor, recordingApi), which has every method`);
    }
  }
});
