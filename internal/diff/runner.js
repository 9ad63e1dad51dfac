'use strict';
// runner.js runs events through two bundles of one action, the base's and
// the working tree's, as Auth0 runs a bundle: the handler its trigger names,
// called with the event and an api object with every method of the
// trigger's (auth0api.js, written next to this file). It is actions diff's
// Node side:
//
//   node runner.js BASE_TRIGGER BASE_BUNDLE HEAD_TRIGGER HEAD_BUNDLE < EVENTS
//
// EVENTS is one JSON event per line. For each, in order, it writes one line:
// "=" then the base's answer when both answers are the same, else
// "!" then {"base": answer, "head": answer}; an answer is {reason,
// decision, calls: [{op, args}], error}: the reason and decision of the
// bundle's log line, the api calls it made, and what the handler threw or
// rejected with. Console output is kept from both bundles and never
// printed.

const fs = require('fs');
const path = require('path');
const readline = require('readline');
const { DESCRIPTION, recordingApi } = require('./auth0api.js');

const [baseTrigger, baseFile, headTrigger, headFile] = process.argv.slice(2);

// LINE is the start of the one line the shim logs per execution.
const LINE = /^\[[^\]]*\] decision=(\S*) reason=(\S*) calls=/;

// logged holds the console output of the execution under way.
let logged = [];
for (const m of ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir']) {
  console[m] = (...args) => { logged.push(args.map(String).join(' ')); };
}

// bundleOf requires a bundle and returns {handler, api, calls}: the
// handler Auth0 calls for trigger, and one recording api object for all its
// executions, whose calls answer empties first.
function bundleOf(trigger, file) {
  const name = DESCRIPTION[trigger] && DESCRIPTION[trigger].handler;
  const handler = require(path.resolve(file))[name];
  if (typeof handler !== 'function') throw new Error(`${file}: no ${name} export for the trigger ${trigger}`);
  return { handler, ...recordingApi(trigger) };
}

// answer runs the bundle on a fresh copy of the event and returns its
// answer.
async function answer(bundle, text) {
  bundle.calls.length = 0;
  logged = [];
  let error = '';
  try {
    await bundle.handler(JSON.parse(text), bundle.api);
  } catch (err) {
    error = String((err && err.message) || err).slice(0, 200);
  }
  const m = LINE.exec(logged.length === 1 ? logged[0] : '');
  const got = { reason: m ? m[2] : '(no shim log line)', decision: m ? m[1] : '', calls: bundle.calls.slice(), error };
  if (!m) got.decision = logged.length === 0 ? 'no console output' : `${logged.length} console lines`;
  return got;
}

// key identifies an answer: what Auth0 would do with it.
function key(a) {
  return JSON.stringify([a.reason, a.calls, a.error]);
}

async function main() {
  const base = bundleOf(baseTrigger, baseFile);
  const head = bundleOf(headTrigger, headFile);
  const out = fs.createWriteStream(null, { fd: 1 });
  let buf = '';
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const text of lines) {
    const b = await answer(base, text);
    const h = await answer(head, text);
    buf += key(b) === key(h) ? `=${JSON.stringify(b)}\n` : `!${JSON.stringify({ base: b, head: h })}\n`;
    if (buf.length > 1 << 16) {
      if (!out.write(buf)) await new Promise((resolve) => out.once('drain', resolve));
      buf = '';
    }
  }
  out.end(buf);
}

main().catch((err) => {
  process.stderr.write(`runner.js: ${(err && err.stack) || err}\n`);
  process.exit(1);
});
