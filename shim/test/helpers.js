'use strict';
// Shared helpers of the shim's Node tests: where the build is, what its
// manifest says of each action, loading a bundle (fresh when a test needs
// its module state), a recording api object (internal/auth0api), capturing
// console output, and parsing the one log line of an execution.

const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const auth0api = require('../../internal/auth0api/auth0api.js');

const ROOT = path.resolve(__dirname, '..', '..');
// BUILD is the build under test: build/ (what ships) or, with
// BUILD_DIR=build/go, the standard Go toolchain's reference build.
const BUILD = path.resolve(ROOT, process.env.BUILD_DIR || 'build');
const FAULTS = path.join(BUILD, 'faults');
const TESTDATA = path.join(ROOT, 'testdata');
const LOG_LIMIT = 256;

// FAILURE_REASONS are the reasons of a fallback decision.
const FAILURE_REASONS = ['module-load', 'guest-trap', 'guest-error', 'bad-response', 'forbidden', 'bad-event', 'shim-error'];

// MODULE is the Go module's path (go.mod), which each go_package of the
// manifest starts with.
const MODULE = /^module (\S+)$/m.exec(fs.readFileSync(path.join(ROOT, 'go.mod'), 'utf8'))[1];

const MISSING_BUILD = 'is missing: run `make wasm faults` in the repository root first';

// manifest returns build/manifest.json, or throws saying how to build it.
function manifest() {
  const file = path.join(BUILD, 'manifest.json');
  if (!fs.existsSync(file)) throw new Error(`${path.relative(ROOT, file)} ${MISSING_BUILD}`);
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

// manifestAction returns the manifest's entry of the action called name, or
// throws naming it.
function manifestAction(name) {
  const a = manifest().actions.find((x) => x.name === name);
  if (!a) throw new Error(`${name}: no such action in ${path.relative(ROOT, BUILD)}/manifest.json`);
  return a;
}

// twinOf returns the path of the action called name's plain-JavaScript
// twin, twin.js in its Go package (the folder of its wasm entry's parent),
// or undefined when it brings none.
function twinOf(name) {
  const main = manifestAction(name).go_package;
  assert.ok(main.startsWith(`${MODULE}/`), `${name}: go_package ${main} is outside the module ${MODULE}`);
  const file = path.join(ROOT, main.slice(MODULE.length + 1), '..', 'twin.js');
  return fs.existsSync(file) ? file : undefined;
}

// triggerOf returns the trigger id of the action called name.
function triggerOf(name) {
  return manifestAction(name).trigger.id;
}

// compiler returns the compiler that built BUILD: 'tinygo' or 'go'.
function compiler() {
  return manifest().actions[0].compiler.name;
}

// panicked returns the reason and detail a guest's panic with message gets:
// a standard Go guest recovers it into an error response (guest-error); a
// TinyGo guest cannot recover on wasm, so it prints the panic and traps
// (guest-trap), and the detail is V8's trap message and the printed line.
function panicked(message) {
  if (compiler() === 'tinygo') return { reason: 'guest-trap', detail: `unreachable: panic: ${message}` };
  return { reason: 'guest-error', detail: `panic: ${message}` };
}

// bundlePath returns the absolute path of a file of build/ (or of
// build/faults/ when faults is true), or throws saying how to build it.
function bundlePath(name, { faults = false } = {}) {
  const file = path.join(faults ? FAULTS : BUILD, name);
  if (!fs.existsSync(file)) throw new Error(`${path.relative(ROOT, file)} ${MISSING_BUILD}`);
  return file;
}

// load requires a bundle; with fresh it drops the cached copy first, so the
// bundle compiles its module again and starts with no instance.
function load(file, { fresh = false } = {}) {
  const resolved = require.resolve(file);
  if (fresh) delete require.cache[resolved];
  return require(resolved);
}

// triggers maps each handler handlerOf returned to its trigger, for the api
// object execute passes it.
const triggers = new WeakMap();

// handlerOf returns the handler a loaded bundle exports for its trigger: the
// one trigger of internal/auth0api/api.json whose handler it is named.
function handlerOf(mod) {
  const names = Object.keys(mod);
  assert.equal(names.length, 1, `bundle exports ${JSON.stringify(names)}, want one handler`);
  const trigger = Object.keys(auth0api.DESCRIPTION).find((t) => auth0api.DESCRIPTION[t].handler === names[0]);
  assert.ok(trigger, `bundle exports ${names[0]}, the handler of no trigger internal/auth0api/api.json describes`);
  triggers.set(mod[names[0]], trigger);
  return mod[names[0]];
}

// recordingApi is auth0api.recordingApi(trigger, throwing): trigger's whole
// api object, recording each call as {op, args}.
const { recordingApi } = auth0api;

// handlerApi returns recordingApi of the trigger of handler, which handlerOf
// returned.
function handlerApi(handler, throwing) {
  const trigger = triggers.get(handler);
  assert.ok(trigger, 'the handler is not one handlerOf returned: its trigger is unknown');
  return recordingApi(trigger, throwing);
}

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir'];

// captureConsole runs fn (sync or async) with every console method replaced
// by a recorder, and process.stderr writes recorded (and still written).
// stdout is left alone: the test runner's own messages go there. It returns
// {value, error, logs, writes}: value is what fn resolved to, error what it
// threw or rejected with (undefined if nothing), logs the console calls as
// {method, text}, writes the raw stderr writes.
async function captureConsole(fn) {
  const logs = [];
  const writes = [];
  const saved = {};
  for (const m of CONSOLE_METHODS) {
    saved[m] = console[m];
    console[m] = (...args) => logs.push({ method: m, text: args.map(String).join(' ') });
  }
  const streams = [process.stderr];
  const savedWrites = streams.map((s) => s.write);
  streams.forEach((s, i) => {
    s.write = function write(chunk, ...rest) {
      writes.push(String(chunk));
      return savedWrites[i].call(this, chunk, ...rest);
    };
  });
  let value;
  let error;
  try {
    value = await fn();
  } catch (err) {
    error = err === undefined ? new Error('rejected with undefined') : err;
  } finally {
    for (const m of CONSOLE_METHODS) console[m] = saved[m];
    streams.forEach((s, i) => { s.write = savedWrites[i]; });
  }
  return { value, error, logs, writes };
}

const LINE = /^\[([a-z_]+)\] decision=(\S+) reason=(\S+) calls=(\d+) ms=(\d+\.\d\d)( .*)?$/s;

// parseLine splits an execution's log line into its fields; it throws when
// the line does not have the expected form.
function parseLine(line) {
  const m = LINE.exec(line);
  assert.ok(m, `log line ${JSON.stringify(line)} does not match ${LINE}`);
  const out = { action: m[1], decision: m[2], reason: m[3], calls: Number(m[4]), ms: Number(m[5]) };
  let rest = m[6] || '';
  const api = rest.indexOf(' api-failed=');
  if (api >= 0) {
    out.apiFailed = rest.slice(api + ' api-failed='.length);
    rest = rest.slice(0, api);
  }
  const side = /^ side=(shim|guest) detail=(.*)$/s.exec(rest);
  if (side) {
    out.side = side[1];
    out.detail = side[2];
  } else {
    assert.equal(rest, '', `log line ${JSON.stringify(line)}: unexpected text after ms=`);
  }
  return out;
}

// execute runs handler(event, api) with a recording api of its trigger and
// captured console. It returns {result, error, calls, logs, line, parsed}, where line
// is the only console.log line; it asserts that the handler resolved to
// undefined and that there is exactly one console line, from console.log,
// of at most LOG_LIMIT characters.
async function execute(handler, event, { throwing } = {}) {
  const { api, calls } = handlerApi(handler, throwing);
  const got = await captureConsole(() => handler(event, api));
  const out = { result: got.value, error: got.error, calls, logs: got.logs, writes: got.writes };
  assertResolved(out);
  assert.equal(got.logs.length, 1,
    `console calls: got ${got.logs.length} ${JSON.stringify(got.logs)}, want exactly one console.log line`);
  assert.equal(got.logs[0].method, 'log', `console method: got ${got.logs[0].method}, want log`);
  out.line = got.logs[0].text;
  assert.ok(!out.line.includes('\n'), `log line holds a newline: ${JSON.stringify(out.line)}`);
  // Counted as JavaScript counts (UTF-16 units): never more than code points.
  assert.ok(out.line.length <= LOG_LIMIT,
    `log line has ${out.line.length} characters, want at most ${LOG_LIMIT}: ${out.line}`);
  out.parsed = parseLine(out.line);
  return out;
}

// assertResolved asserts the handler resolved to undefined.
function assertResolved(run) {
  assert.equal(run.error, undefined, `handler rejected with ${run.error && (run.error.stack || run.error)}`);
  assert.equal(run.result, undefined, `handler resolved to ${JSON.stringify(run.result)}, want undefined`);
}

// countWasm replaces the WebAssembly entry points with counting wrappers
// and returns the counts, the promises WebAssembly.compile returned
// (compiling) and a restore function. Install it before loading
// a bundle fresh and restore it after the executions: the bundle compiles
// in a microtask after require, and instantiates during executions.
function countWasm() {
  const W = WebAssembly;
  const saved = { compile: W.compile, instantiate: W.instantiate, Module: W.Module, Instance: W.Instance };
  const counts = { compile: 0, instantiate: 0, Module: 0, Instance: 0 };
  const compiling = [];
  W.compile = function compile(...args) {
    counts.compile++;
    const p = saved.compile.apply(this, args);
    compiling.push(p);
    return p;
  };
  W.instantiate = function instantiate(...args) { counts.instantiate++; return saved.instantiate.apply(this, args); };
  W.Module = new Proxy(saved.Module, {
    construct(target, args, newTarget) { counts.Module++; return Reflect.construct(target, args, newTarget); },
  });
  W.Instance = new Proxy(saved.Instance, {
    construct(target, args, newTarget) { counts.Instance++; return Reflect.construct(target, args, newTarget); },
  });
  const restore = () => Object.assign(W, saved);
  return { counts, compiling, restore };
}

// readCases returns the shared cases of an action: {files, cases, errors},
// each case with its file; errors lists files that could not be used.
function readCases(action) {
  const dir = path.join(TESTDATA, action);
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];
  const cases = [];
  const errors = [];
  for (const file of files) {
    let list;
    try {
      list = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    } catch (err) {
      errors.push(`${action}/${file}: ${err.message}`);
      continue;
    }
    if (!Array.isArray(list) || list.length === 0) {
      errors.push(`${action}/${file}: want a non-empty JSON array of cases`);
      continue;
    }
    for (const c of list) cases.push({ ...c, file });
  }
  return { files, cases, errors };
}

// decidedCases returns the shared cases of action whose reason is the
// decision's, not a fallback's.
function decidedCases(action) {
  return readCases(action).cases.filter((c) => !FAILURE_REASONS.includes(c.reason));
}

// assertFallback asserts run made the action's fallback calls and logged a
// fallback with reason and side.
function assertFallback(run, action, reason, side) {
  const want = manifestAction(action).contract.fallback;
  assert.deepEqual(run.calls, want, `api calls: got ${JSON.stringify(run.calls)}, want the fallback ${JSON.stringify(want)}`);
  const got = run.parsed;
  assert.deepEqual(
    { action: got.action, decision: got.decision, reason: got.reason, side: got.side, calls: got.calls },
    { action, decision: 'fallback', reason, side, calls: want.length },
    `log line ${run.line}`,
  );
}

module.exports = {
  ROOT, BUILD, FAULTS, TESTDATA, LOG_LIMIT, FAILURE_REASONS,
  manifest, manifestAction, twinOf, triggerOf, compiler, panicked, bundlePath, load, handlerOf, recordingApi, handlerApi,
  captureConsole, parseLine, execute, assertResolved, assertFallback, countWasm, readCases,
  decidedCases,
};
