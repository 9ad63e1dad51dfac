'use strict';
// The stand-in's "test an action" harness, run by Node 18 as
//   node harness.js CODE_FILE TRIGGER INPUT_FILE OUTPUT_FILE
// It loads the action's code, builds TRIGGER's api object (auth0api.js,
// whose calls do nothing but return what Auth0's return), calls the
// trigger's handler with the event in INPUT_FILE and writes
// {logs, error, boot_ms, action_ms} to OUTPUT_FILE as JSON: logs as the
// console lines joined by newlines, error as {name, message, stack} when
// loading, Auth0's wrapper or the handler threw. Like Auth0's wrapper (the
// recorded TypeError for an event without a user), it reads event.user.id
// before the handler runs.

const fs = require('fs');
const util = require('util');
// auth0api.js and api.json are written next to this file (internal/auth0api).
const { DESCRIPTION, apiFor } = require('./auth0api.js');

const [codeFile, trigger, inputFile, outputFile] = process.argv.slice(2);

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
    const described = DESCRIPTION[trigger];
    if (!described) throw new Error(`the stand-in has no api for the trigger ${trigger}`);
    const { handler } = described;
    const event = JSON.parse(fs.readFileSync(inputFile, 'utf8'));
    void event.user.id; // eslint-disable-line no-void -- as Auth0's wrapper reads it
    const mod = require(codeFile);
    if (typeof mod[handler] !== 'function') throw new TypeError(`exports.${handler} is not a function`);
    const called = Date.now();
    out.boot_ms = called - began;
    try {
      await mod[handler](event, apiFor(trigger, () => {}));
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
