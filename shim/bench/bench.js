'use strict';
// bench.js measures each built bundle under the Node running it: the cold
// start (in a fresh process, from require of the bundle to the end of its
// first decision; Node's own start-up is not counted) and the warm time per
// decision. make bench runs it under Node 18
// and Node 22. It prints medians; it asserts nothing.
//
//   node shim/bench/bench.js            all bundles in build/manifest.json
//   node shim/bench/bench.js --cold F   (internal) one cold run of bundle F

const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.join(__dirname, '..', '..');
const EVENT = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', 'returning_user.json'), 'utf8'));
const COLD_RUNS = 11;
const WARM_DECISIONS = 20000;
const api = { multifactor: { enable() {} }, user: { setAppMetadata() {}, setUserMetadata() {} } };

function handlerOf(mod) {
  return mod.onExecutePostLogin || mod.onExecutePreUserRegistration;
}

// quietly runs fn with console.log silenced: every decision logs a line.
async function quietly(fn) {
  const log = console.log;
  console.log = () => {};
  try {
    return await fn();
  } finally {
    console.log = log;
  }
}

// coldOnce is run in a fresh process: require, first decision, print ms.
async function coldOnce(file) {
  const start = process.hrtime.bigint();
  const handler = handlerOf(require(file));
  await quietly(() => handler(EVENT, api));
  process.stdout.write(String(Number(process.hrtime.bigint() - start) / 1e6));
}

async function warm(file) {
  const handler = handlerOf(require(file));
  return quietly(async () => {
    await handler(EVENT, api);
    const start = process.hrtime.bigint();
    for (let i = 0; i < WARM_DECISIONS; i++) await handler(EVENT, api);
    return Number(process.hrtime.bigint() - start) / WARM_DECISIONS / 1e3;
  });
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main() {
  if (process.argv[2] === '--cold') return coldOnce(process.argv[3]);
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'build', 'manifest.json'), 'utf8'));
  console.log(`node ${process.version}: ${COLD_RUNS} cold starts, ${WARM_DECISIONS} warm decisions per bundle (medians)`);
  for (const a of manifest.actions) {
    const file = path.join(ROOT, 'build', a.bundle);
    const cold = [];
    for (let i = 0; i < COLD_RUNS; i++) {
      cold.push(Number(execFileSync(process.execPath, [__filename, '--cold', file], { encoding: 'utf8' })));
    }
    const perDecision = await warm(file);
    console.log(`  ${a.name.padEnd(20)} cold ${median(cold).toFixed(1).padStart(6)} ms   warm ${perDecision.toFixed(2).padStart(7)} µs/decision   bundle ${a.bytes} bytes`);
  }
  return undefined;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
