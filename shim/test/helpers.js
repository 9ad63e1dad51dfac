'use strict';
// Shared helpers of the shim's Node tests: where the build is, loading a
// bundle (fresh when a test needs its module state), a recording api object,
// capturing console output, and parsing the one log line of an execution.

const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
// BUILD is the build under test: build/ (what ships) or, with
// BUILD_DIR=build/go, the standard Go toolchain's reference build.
const BUILD = path.resolve(ROOT, process.env.BUILD_DIR || 'build');
const FAULTS = path.join(BUILD, 'faults');
const TESTDATA = path.join(ROOT, 'testdata');
const LOG_LIMIT = 256;

const HANDLERS = {
  'post-login': 'onExecutePostLogin',
  'pre-user-registration': 'onExecutePreUserRegistration',
};

// FALLBACKS are the calls each action makes when its module fails.
const FALLBACKS = {
  mfa_action: [{ op: 'multifactor.enable', args: ['any'] }],
  enable_mfa: [
    { op: 'user.setAppMetadata', args: ['auth_require_mfa', true] },
    { op: 'user.setAppMetadata', args: ['uses_new_mfa_action', true] },
  ],
  add_ip_to_metadata: [],
};

// FAILURE_REASONS are the reasons of a fallback decision.
const FAILURE_REASONS = ['module-load', 'guest-trap', 'guest-error', 'bad-response', 'forbidden', 'bad-event', 'shim-error'];

const MISSING_BUILD = 'is missing: run `make wasm faults` in the repository root first';

// manifest returns build/manifest.json, or throws saying how to build it.
function manifest() {
  const file = path.join(BUILD, 'manifest.json');
  if (!fs.existsSync(file)) throw new Error(`${path.relative(ROOT, file)} ${MISSING_BUILD}`);
  return JSON.parse(fs.readFileSync(file, 'utf8'));
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

// handlerOf returns the handler a loaded bundle exports for its trigger.
function handlerOf(mod) {
  const names = Object.keys(mod);
  assert.equal(names.length, 1, `bundle exports ${JSON.stringify(names)}, want one handler`);
  return mod[names[0]];
}

// recordingApi returns an Auth0-like api object that records its calls as
// {op, args}. throwing maps an op to a function run before the call is
// recorded; it may throw.
function recordingApi(throwing = {}) {
  const calls = [];
  const method = (op) => (...args) => {
    if (throwing[op]) throwing[op](...args);
    calls.push({ op, args });
  };
  const api = {
    multifactor: { enable: method('multifactor.enable') },
    user: {
      setUserMetadata: method('user.setUserMetadata'),
      setAppMetadata: method('user.setAppMetadata'),
    },
  };
  return { api, calls };
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

// execute runs handler(event, api) with a recording api and captured
// console. It returns {result, error, calls, logs, line, parsed}, where line
// is the only console.log line; it asserts that the handler resolved to
// undefined and that there is exactly one console line, from console.log,
// of at most LOG_LIMIT characters.
async function execute(handler, event, { throwing } = {}) {
  const { api, calls } = recordingApi(throwing);
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

// assertFallback asserts run made the action's fallback calls and logged a
// fallback with reason and side.
function assertFallback(run, action, reason, side) {
  const want = FALLBACKS[action];
  assert.deepEqual(run.calls, want, `api calls: got ${JSON.stringify(run.calls)}, want the fallback ${JSON.stringify(want)}`);
  const got = run.parsed;
  assert.deepEqual(
    { action: got.action, decision: got.decision, reason: got.reason, side: got.side, calls: got.calls },
    { action, decision: 'fallback', reason, side, calls: want.length },
    `log line ${run.line}`,
  );
}

module.exports = {
  ROOT, BUILD, FAULTS, TESTDATA, LOG_LIMIT, HANDLERS, FALLBACKS, FAILURE_REASONS,
  manifest, compiler, panicked, bundlePath, load, handlerOf, recordingApi, captureConsole,
  parseLine, execute, assertResolved, assertFallback, countWasm, readCases,
};
