'use strict';
// The stand-in's "test an action" harness, run by Node 18 as
//   node harness.js CODE_FILE TRIGGER INPUT_FILE OUTPUT_FILE
// It loads the action's code, builds an api object for TRIGGER, calls the
// trigger's handler with the event in INPUT_FILE and writes
// {logs, error, boot_ms, action_ms} to OUTPUT_FILE as JSON: logs as the
// console lines joined by newlines, error as {name, message, stack} when
// loading, Auth0's wrapper or the handler threw. Like Auth0's wrapper (the
// recorded TypeError for an event without a user), it reads event.user.id
// before the handler runs.

const fs = require('fs');
const util = require('util');

const [codeFile, trigger, inputFile, outputFile] = process.argv.slice(2);

const HANDLERS = {
  'post-login': 'onExecutePostLogin',
  'pre-user-registration': 'onExecutePreUserRegistration',
  'post-user-registration': 'onExecutePostUserRegistration',
  'post-change-password': 'onExecutePostChangePassword',
  'credentials-exchange': 'onExecuteCredentialsExchange',
  'send-phone-message': 'onExecuteSendPhoneMessage',
};

// API lists each trigger's api methods: op -> what the call returns
// ('api' for the api object, so calls chain as in Auth0).
const CACHE = { 'cache.get': undefined, 'cache.set': { type: 'success' }, 'cache.delete': { type: 'success' } };
const API = {
  'post-login': {
    'access.deny': 'api',
    'accessToken.setCustomClaim': 'api',
    'accessToken.addScope': 'api',
    'accessToken.removeScope': 'api',
    'idToken.setCustomClaim': 'api',
    'multifactor.enable': 'api',
    'user.setAppMetadata': 'api',
    'user.setUserMetadata': 'api',
    'redirect.sendUserTo': 'api',
    'redirect.encodeToken': 'stand-in-token',
    'redirect.validateToken': {},
    'authentication.challengeWith': 'api',
    'authentication.challengeWithAny': 'api',
    'authentication.enrollWith': 'api',
    'authentication.enrollWithAny': 'api',
    'authentication.recordMethod': 'api',
    'authentication.setPrimaryUser': 'api',
    'samlResponse.setAttribute': 'api',
    'rules.wasExecuted': false,
    ...CACHE,
  },
  'pre-user-registration': {
    'access.deny': 'api',
    'user.setAppMetadata': 'api',
    'user.setUserMetadata': 'api',
    'validation.error': 'api',
    ...CACHE,
  },
  'post-user-registration': { ...CACHE },
  'post-change-password': { ...CACHE },
  'credentials-exchange': {
    'access.deny': 'api',
    'accessToken.setCustomClaim': 'api',
    ...CACHE,
  },
  'send-phone-message': { ...CACHE },
};

function apiFor(ops) {
  const api = {};
  for (const [op, ret] of Object.entries(ops)) {
    const path = op.split('.');
    let obj = api;
    for (const part of path.slice(0, -1)) obj = obj[part] || (obj[part] = {});
    obj[path[path.length - 1]] = () => (ret === 'api' ? api : ret);
  }
  return api;
}

function errorOf(err) {
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
  return { name: 'Error', message: String(err) };
}

async function main() {
  const began = Date.now();
  const logs = [];
  const out = { logs: '', boot_ms: 0, action_ms: 0 };
  for (const m of ['log', 'info', 'warn', 'error', 'debug', 'trace']) {
    console[m] = (...args) => logs.push(util.format(...args));
  }
  try {
    const handler = HANDLERS[trigger];
    const ops = API[trigger];
    if (!handler || !ops) throw new Error(`the stand-in has no api for the trigger ${trigger}`);
    const event = JSON.parse(fs.readFileSync(inputFile, 'utf8'));
    void event.user.id; // eslint-disable-line no-void -- as Auth0's wrapper reads it
    const mod = require(codeFile);
    if (typeof mod[handler] !== 'function') throw new TypeError(`exports.${handler} is not a function`);
    const called = Date.now();
    out.boot_ms = called - began;
    try {
      await mod[handler](event, apiFor(ops));
    } finally {
      out.action_ms = Date.now() - called;
    }
  } catch (err) {
    out.error = errorOf(err);
  }
  out.logs = logs.length ? logs.join('\n') + '\n' : '';
  fs.writeFileSync(outputFile, JSON.stringify(out));
}

main().then(
  () => process.exit(0),
  (err) => { process.stderr.write(String(err && err.stack || err)); process.exit(1); },
);
