'use strict';
// drive.js runs one bundle on many event files for the Go differential tests
// (internal/host/differential_test.go), as Auth0 would run it on the event
// each file describes: the file's bytes read as UTF-8 text, JSON.parse, the
// handler with a recording api of its trigger.
//
//	node drive.js JOBS.json
//
// JOBS.json is {"bundle": path, "events": [base64 of each file's bytes]}.
// It prints a JSON array, one entry per event: {"refused": message} when
// JSON.parse refuses the text, else {"calls": [{op, args}], "lines": [...]},
// the api calls made and the console.log lines.

const fs = require('fs');
const h = require('./helpers');

async function main() {
  const jobs = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const handler = h.handlerOf(require(jobs.bundle));
  const results = [];
  for (const encoded of jobs.events) results.push(await runOne(handler, Buffer.from(encoded, 'base64')));
  process.stdout.write(JSON.stringify(results));
}

// runOne runs handler on the event file's bytes.
async function runOne(handler, bytes) {
  let event;
  try {
    event = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    return { refused: err.message };
  }
  const { api, calls } = h.handlerApi(handler);
  const lines = [];
  const log = console.log;
  console.log = (...args) => lines.push(args.map(String).join(' '));
  try {
    await handler(event, api);
  } finally {
    console.log = log;
  }
  return { calls, lines };
}

main().catch((err) => {
  process.stderr.write(`drive.js: ${err.stack || err}\n`);
  process.exit(1);
});
