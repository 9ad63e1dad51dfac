'use strict';
// shim.js runs one Go-built WebAssembly action inside an Auth0 Action.
//
// The build (make wasm) fills in BUNDLE below with the action's contract and
// where its module comes from, and writes the result to build/<action>.js.
// The module is either embedded in this file, base64-encoded (the default:
// a TinyGo module is small enough), or, for the standard Go toolchain's
// large modules, in an npm package the Action lists as a dependency, whose
// SHA-256 BUNDLE pins. This file needs no npm package of its own and no
// node:wasi, and runs unchanged on Node 18 and 22. The ABI it speaks is
// internal/abi/ABI.md.
//
// For every execution the shim reads the contract's fields from the event,
// asks the module for a decision, checks the decision against the contract,
// makes the allowed api calls and logs one line. Whatever fails, it makes the
// contract's fallback calls instead and never throws into Auth0.
//
// A cold start matters (it is a login's latency), so the shim loads no
// Node module it does not need: crypto (several ms on Node 18) only to check
// a packaged module's digest or when /dev/urandom cannot be read, and the
// module is compiled and instantiated synchronously, with no promise.

const BUNDLE = __BUNDLE__;
const CONTRACT = BUNDLE.contract;

const ABI_VERSION = 1;
const MAX_REQUEST = 16 << 20; // bytes; the guest refuses larger requests
const LOG_LIMIT = 256; // characters Auth0 keeps of an action's console output
const OUTPUT_LIMIT = 1024; // bytes of guest output kept per call, for the log
const MIN_REDACTED_SECRET = 8; // bytes; free text is withheld when a secret is shorter
const WITHHELD = '(withheld: a secret is too short to redact)';
const WITHHELD_UNREADABLE = '(withheld: the secrets cannot be read)';
const REDACTED = '[redacted]';
const KIND = { missing: 0, null: 1, bool: 2, number: 3, string: 4, object: 5, array: 6, other: 7 };
const KIND_NAMES = Object.keys(KIND);
const READS = CONTRACT.reads.map((path) => path.split('.'));
const SECRETS_PREFIX = 'secrets.';
// SECRET_READS are the indexes in READS of the secrets the module gets, and
// SECRET_NAMES their names.
const SECRET_READS = CONTRACT.reads.flatMap((path, i) => (path.startsWith(SECRETS_PREFIX) ? [i] : []));
const SECRET_NAMES = SECRET_READS.map((i) => CONTRACT.reads[i].slice(SECRETS_PREFIX.length));
// SPACE is white space as both hosts split and fold it: JavaScript's \s and
// Go's unicode.IsSpace together.
const SPACE = /[\s\u0085]+/g;

// hasOwn and promiseThen are taken at load, so that code replacing
// Object.prototype's or Promise.prototype's methods later changes nothing
// here. The shim reads no property it did not set itself, or that a
// contract does not declare, through the prototype chain: a polluted
// Object.prototype must not change what it does.
const hasOwn = Object.hasOwn;
const promiseThen = Promise.prototype.then;

// Failure is why the shim could not use the module's answer; side is 'shim'
// or 'guest'. Reasons are those of internal/host. output, when set, is what
// the guest wrote during the failed call (an Output's take()): raw, so only
// scrub may show it.
class Failure extends Error {
  constructor(reason, side, detail, output) {
    super(detail);
    this.reason = reason;
    this.side = side;
    this.output = output;
  }
}

// GuestExit is thrown by proc_exit to unwind the guest.
class GuestExit extends Error {
  constructor(code) {
    super(`exited with code ${code}`);
  }
}

// compiled is the module, compiled once per container when Auth0 loads this
// file; a warm execution reuses it. loadFailure is why it is not there, and
// every execution reports it.
let compiled = null;
let loadFailure = null;
try {
  compiled = new WebAssembly.Module(moduleBytes());
} catch (err) {
  loadFailure = new Failure('module-load', 'shim', messageOf(err));
}

// moduleBytes returns the module's bytes: the embedded ones, whose
// integrity is the bundle's own (its SHA-256 is checked at deploy and by
// actions verify), or the npm package's, once their SHA-256 is the one
// BUNDLE pins.
function moduleBytes() {
  const source = BUNDLE.wasm;
  if (!hasOwn(source, 'package')) return embeddedBytes(source);
  const where = `${source.package}@${source.version}/${source.file}`;
  const bytes = packagedBytes(source, where);
  const digest = require('crypto').createHash('sha256').update(bytes).digest('hex');
  if (digest !== source.sha256) {
    throw new Error(`${where}: SHA-256 ${digest.slice(0, 12)}…, the bundle pins ${source.sha256.slice(0, 12)}…`);
  }
  return bytes;
}

function packagedBytes(source, where) {
  let file;
  try {
    file = require.resolve(`${source.package}/${source.file}`);
  } catch (err) {
    throw new Error(`${where} is not installed: list it in the Action's dependencies`);
  }
  return require('fs').readFileSync(file);
}

// embeddedBytes decodes the embedded module. A payload that does not decode
// to the length the build recorded (a bundle cut short) is refused; that is
// all this checks, and an edit that keeps the length loads. The bundle's
// integrity is its SHA-256, which the deploy's precondition and actions
// verify check: a hash here would cost every cold start and stop no one who
// can edit this file.
function embeddedBytes(source) {
  const bytes = Buffer.from(source.base64, 'base64');
  if (bytes.length !== source.bytes) {
    throw new Error(`the embedded module decodes to ${bytes.length} bytes, the bundle says ${source.bytes}`);
  }
  return bytes;
}

// current is the instance executions share; null before the first
// execution and after a trap or a failed start, when the next execution
// starts a new one. A trapped Go runtime is never called again.
let current = null;

// instance returns current, starting it when there is none.
function instance() {
  if (current !== null) return current;
  if (loadFailure !== null) throw loadFailure;
  const state = { memory: null, output: new Output() };
  try {
    const inst = new WebAssembly.Instance(compiled, { wasi_snapshot_preview1: wasiPreview1(state) });
    state.memory = inst.exports.memory;
    inst.exports._initialize();
    if (inst.exports.abi_version() !== ABI_VERSION) {
      throw new Error(`module does not speak ABI version ${ABI_VERSION}`);
    }
    current = { exports: inst.exports, state, bytes: undefined };
    return current;
  } catch (err) {
    throw new Failure('module-load', 'shim', messageOf(err), state.output.take());
  }
}

// wasiPreview1 returns the WASI preview1 functions a Go wasip1 module
// imports (TinyGo's need only fd_write and random_get). The build reads the
// names between the markers below and refuses a module that imports
// anything else.
function wasiPreview1(state) {
  const view = () => new DataView(state.memory.buffer);
  const putU32 = (ptr, value) => view().setUint32(ptr, value, true);
  // wasi-imports:begin
  return {
    args_get() { return 0; },
    args_sizes_get(countPtr, sizePtr) { putU32(countPtr, 0); putU32(sizePtr, 0); return 0; },
    environ_get() { return 0; },
    environ_sizes_get(countPtr, sizePtr) { putU32(countPtr, 0); putU32(sizePtr, 0); return 0; },
    clock_time_get(id, _precision, resultPtr) {
      view().setBigUint64(resultPtr, id === 0 ? nowRealtime() : process.hrtime.bigint(), true);
      return 0;
    },
    fd_write(_fd, iovs, iovsLen, writtenPtr) {
      let written = 0;
      for (let i = 0; i < iovsLen; i++) {
        const ptr = view().getUint32(iovs + 8 * i, true);
        const len = view().getUint32(iovs + 8 * i + 4, true);
        state.output.write(new Uint8Array(state.memory.buffer, ptr, len));
        written += len;
      }
      putU32(writtenPtr, written);
      return 0;
    },
    poll_oneoff(subsPtr, eventsPtr, count, neventsPtr) { return pollOneoff(view, subsPtr, eventsPtr, count, neventsPtr); },
    proc_exit(code) { throw new GuestExit(code); },
    random_get(ptr, len) { fillRandom(new Uint8Array(state.memory.buffer, ptr, len)); return 0; },
    sched_yield() { return 0; },
  };
  // wasi-imports:end
}

function nowRealtime() {
  return BigInt(Date.now()) * 1000000n;
}

// urandom is the open /dev/urandom, null before the first read, -1 where it
// cannot be read.
let urandom = null;

// fillRandom fills bytes from the kernel's CSPRNG. Reading /dev/urandom
// needs only fs, which Node has loaded before any Action runs; crypto, the
// fallback where /dev/urandom cannot be read, costs several ms of a Node 18
// cold start. Both are cryptographically secure.
function fillRandom(bytes) {
  if (urandom !== -1) {
    const fs = require('fs');
    try {
      if (urandom === null) urandom = fs.openSync('/dev/urandom', 'r');
      for (let off = 0; off < bytes.length;) {
        const n = fs.readSync(urandom, bytes, off, bytes.length - off, null);
        if (n <= 0) throw new Error('/dev/urandom: short read');
        off += n;
      }
      return;
    } catch (_) {
      urandom = -1;
    }
  }
  require('crypto').randomFillSync(bytes);
}

// Output keeps the first OUTPUT_LIMIT bytes a guest writes to any fd during
// one call (a TinyGo module prints a panic to stdout, a standard Go one its
// fatal errors to stderr), for a failure's detail; the rest is dropped,
// noting that it was.
class Output {
  constructor() { this.reset(); }
  reset() {
    this.chunks = [];
    this.kept = 0;
    this.cut = false;
  }
  write(bytes) {
    const room = OUTPUT_LIMIT - this.kept;
    if (bytes.length > room) this.cut = true;
    if (room <= 0) return;
    const chunk = bytes.slice(0, room);
    this.chunks.push(chunk);
    this.kept += chunk.length;
  }
  // take returns {bytes, cut}, a copy of what was written, or undefined when
  // nothing was; the Output is empty after.
  take() {
    if (this.kept === 0 && !this.cut) return undefined;
    const out = { bytes: Buffer.concat(this.chunks), cut: this.cut };
    this.reset();
    return out;
  }
}

// pollOneoff serves the Go scheduler's idle sleeps: it blocks for the
// earliest clock subscription (at most 100 ms) and reports every
// subscription as ready, which Go treats as a wake-up to re-check.
function pollOneoff(view, subsPtr, eventsPtr, count, neventsPtr) {
  const now = process.hrtime.bigint();
  let sleepNs = 100000000n;
  for (let i = 0; i < count; i++) {
    const sub = subsPtr + 48 * i;
    if (view().getUint8(sub + 8) !== 0) { sleepNs = 0n; continue; }
    let timeout = view().getBigUint64(sub + 24, true);
    if (view().getUint16(sub + 40, true) & 1) timeout = timeout > now ? timeout - now : 0n;
    if (timeout < sleepNs) sleepNs = timeout;
  }
  if (sleepNs > 0n) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(sleepNs) / 1e6);
  for (let i = 0; i < count; i++) {
    const sub = subsPtr + 48 * i;
    const ev = eventsPtr + 32 * i;
    view().setBigUint64(ev, view().getBigUint64(sub, true), true); // userdata
    view().setUint16(ev + 8, 0, true); // no error
    view().setUint8(ev + 10, view().getUint8(sub + 8)); // type
  }
  view().setUint32(neventsPtr, count, true);
  return 0;
}

// field returns the value at a path: each step must land on a non-null,
// non-array object that has the step as an own property, else the field is
// missing (an inherited property is not the event's).
function field(event, steps) {
  let cur = event;
  for (const step of steps) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !hasOwn(cur, step)) return undefined;
    cur = cur[step];
  }
  return cur;
}

// readFields returns the contract's fields of event, in order. The event's
// getters run here and nowhere else, before anything is encoded: a getter
// that starts another execution cannot mix its event into this request.
function readFields(event) {
  try {
    return READS.map((steps) => field(event, steps));
  } catch (err) {
    throw new Failure('bad-event', 'shim', messageOf(err));
  }
}

// encodeRequest encodes fields (ABI.md, "Request") into the one scratch
// Writer and returns its bytes, valid until the next call. It runs no code
// of the event's (a revoked Proxy still throws on Array.isArray). A field
// that has no encoding is a bad event, named by its path, never its value.
function encodeRequest(fields) {
  const out = scratch.reset();
  out.u8(ABI_VERSION);
  out.u32(fields.length);
  for (let i = 0; i < fields.length; i++) {
    let why = 'a string that is not well-formed UTF-16 (a lone surrogate)';
    try {
      if (out.value(fields[i])) continue;
    } catch (err) {
      why = messageOf(err);
    }
    throw new Failure('bad-event', 'shim', `${CONTRACT.reads[i]}: ${why}`);
  }
  return out.bytes();
}

const SCRATCH_BYTES = 256; // a Writer's first buffer; requests are small
const SCRATCH_KEEP = 64 << 10; // bytes a scratch Writer keeps between requests

// Writer encodes a request into a Buffer it grows as needed (Buffer, not
// TextEncoder: Node 18 loads its encoding module, about 1 ms of a cold
// start, at the first use of TextEncoder).
class Writer {
  constructor() {
    this.use(Buffer.alloc(SCRATCH_BYTES));
    this.len = 0;
  }
  use(buf) {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.length);
  }
  // reset empties the Writer for the next request, dropping a buffer an
  // unusually large request grew beyond SCRATCH_KEEP.
  reset() {
    if (this.buf.length > SCRATCH_KEEP) this.use(Buffer.alloc(SCRATCH_BYTES));
    this.len = 0;
    return this;
  }
  room(n) {
    if (this.len + n <= this.buf.length) return;
    const grown = Buffer.alloc(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(grown, 0, 0, this.len);
    this.use(grown);
  }
  u8(b) { this.room(1); this.buf[this.len++] = b; }
  u32(n) { this.room(4); this.view.setUint32(this.len, n, true); this.len += 4; }
  // value writes v and returns true, or returns false, writing nothing,
  // when v is a string that is not well-formed UTF-16 (a lone surrogate):
  // it has no UTF-8 form, and U+FFFD in its place would make different
  // strings equal. A BigInt is not a number for the decision: kind other.
  value(v) {
    switch (typeof v) {
      case 'undefined': this.u8(KIND.missing); break;
      case 'boolean': this.u8(KIND.bool); this.u8(v ? 1 : 0); break;
      case 'number': this.number(v); break;
      case 'string': return this.string(v);
      case 'object':
        if (v === null) this.u8(KIND.null);
        else this.u8(Array.isArray(v) ? KIND.array : KIND.object);
        break;
      default: this.u8(KIND.other); // bigint, function, symbol
    }
    return true;
  }
  // string writes s as UTF-8, copying its ASCII prefix byte by byte: most
  // fields are ASCII; false, writing nothing, when s is not well-formed.
  string(s) {
    const start = this.len;
    this.u8(KIND.string);
    this.room(4 + s.length);
    const at = this.len;
    this.len += 4;
    let i = 0;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) break;
      this.buf[this.len++] = c;
    }
    if (i < s.length) {
      const rest = s.slice(i);
      if (!wellFormed(rest)) {
        this.len = start;
        return false;
      }
      this.room(3 * rest.length);
      this.len += this.buf.write(rest, this.len, 'utf8');
    }
    this.view.setUint32(at, this.len - at - 4, true);
    return true;
  }
  number(n) {
    this.u8(KIND.number);
    this.room(8);
    this.view.setFloat64(this.len, n, true);
    this.len += 8;
  }
  bytes() { return this.buf.subarray(0, this.len); }
}

const scratch = new Writer();

const SURROGATE = /[\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?:^|[^\ud800-\udbff])[\udc00-\udfff]/;

// wellFormed reports whether s is well-formed UTF-16: every surrogate in a
// pair (String.prototype.isWellFormed, which Node 18 lacks).
function wellFormed(s) {
  return !SURROGATE.test(s) || !LONE_SURROGATE.test(s);
}

// Reader decodes a response (ABI.md, "Response"); any malformation throws.
class Reader {
  constructor(bytes) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.off = 0;
  }
  need(n) {
    if (n > this.bytes.length - this.off) throw new Error(`need ${n} bytes at byte ${this.off}`);
  }
  u8() { this.need(1); return this.bytes[this.off++]; }
  u32() { this.need(4); const n = this.view.getUint32(this.off, true); this.off += 4; return n; }
  count() {
    const n = this.u32();
    if (n > this.bytes.length - this.off) throw new Error(`count ${n} exceeds the bytes left`);
    return n;
  }
  str() {
    const n = this.u32();
    this.need(n);
    const s = strictUTF8(this.bytes.subarray(this.off, this.off + n));
    this.off += n;
    return s;
  }
  value() {
    const kind = this.u8();
    switch (kind) {
      case KIND.bool: {
        const b = this.u8();
        if (b > 1) throw new Error('bool byte is not 0 or 1');
        return { kind, value: b === 1 };
      }
      case KIND.number: {
        this.need(8);
        const value = this.view.getFloat64(this.off, true);
        this.off += 8;
        return { kind, value };
      }
      case KIND.string: return { kind, value: this.str() };
      case KIND.missing: case KIND.null: case KIND.object: case KIND.array: case KIND.other:
        return { kind, value: kind === KIND.null ? null : undefined };
      default: throw new Error(`unknown kind ${kind}`);
    }
  }
  end() {
    if (this.off !== this.bytes.length) throw new Error(`${this.bytes.length - this.off} trailing bytes`);
  }
}

// strictUTF8 decodes bytes, throwing unless they are valid UTF-8: valid
// UTF-8 is what encodes back to the very same bytes (Buffer's decoder
// replaces each invalid sequence with U+FFFD, which encodes to other
// bytes). A leading byte-order mark is kept, as Go's decoder keeps it.
function strictUTF8(bytes) {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const s = buf.toString('utf8');
  if (Buffer.byteLength(s, 'utf8') !== buf.length || !Buffer.from(s, 'utf8').equals(buf)) {
    throw new Error('string is not valid UTF-8');
  }
  return s;
}

function decodeResponse(bytes) {
  const r = new Reader(bytes);
  const version = r.u8();
  if (version !== ABI_VERSION) throw new Error(`version ${version}, want ${ABI_VERSION}`);
  const status = r.u8();
  if (status === 1) {
    const code = r.str();
    const message = r.str();
    r.end();
    return { error: { code, message }, reason: '', calls: [] };
  }
  if (status !== 0) throw new Error(`unknown status ${status}`);
  const reason = r.str();
  const calls = [];
  for (let n = r.count(); n > 0; n--) {
    const op = r.str();
    const args = [];
    for (let a = r.count(); a > 0; a--) args.push(r.value());
    calls.push({ op, args });
  }
  r.end();
  return { error: null, reason, calls };
}

// callGuest copies request into the guest, calls decide and returns the
// response where it lies in guest memory: the guest owns those bytes until
// its next decide, so the caller decodes them before calling it again. A
// trap or proc_exit discards the instance.
function callGuest(inst, request) {
  const ex = inst.exports;
  let packed;
  if (inst.state.output.kept > 0) inst.state.output.reset();
  try {
    const ptr = ex.input_buffer(request.length) >>> 0;
    if (ptr === 0) throw new Failure('guest-error', 'guest', `input_buffer refused ${request.length} bytes`);
    checkBounds(memoryBytes(inst), ptr, request.length).set(request, ptr);
    packed = ex.decide(request.length);
  } catch (err) {
    if (err instanceof Failure) throw err;
    current = null;
    throw new Failure('guest-trap', 'guest', messageOf(err), inst.state.output.take());
  }
  unpacking.setBigUint64(0, packed, true);
  const ptr = unpacking.getUint32(4, true);
  const len = unpacking.getUint32(0, true);
  return checkBounds(memoryBytes(inst), ptr, len).subarray(ptr, ptr + len);
}

// unpacking splits decide's i64 (pointer << 32 | length) into its halves
// without BigInt arithmetic, which allocates on every call.
const unpacking = new DataView(new ArrayBuffer(8));

// memoryBytes returns a view of all of inst's memory, made again only when
// the memory has grown (which replaces its buffer).
function memoryBytes(inst) {
  const buffer = inst.exports.memory.buffer;
  if (inst.bytes === undefined || inst.bytes.buffer !== buffer) inst.bytes = new Uint8Array(buffer);
  return inst.bytes;
}

function checkBounds(bytes, ptr, len) {
  if (ptr + len > bytes.length) {
    throw new Failure('bad-response', 'guest', `${len} bytes at ${ptr} are outside guest memory`);
  }
  return bytes;
}

// decide returns the module's checked result for fields, the contract's
// fields of an event.
function decide(fields) {
  const request = encodeRequest(fields);
  if (request.length > MAX_REQUEST) {
    throw new Failure('bad-event', 'shim', `the fields take ${request.length} bytes, over the ABI's ${MAX_REQUEST}`);
  }
  return answer(callGuest(instance(), request));
}

const ANSWERS_KEPT = 64; // checked results kept by answer
const ANSWER_BYTES_KEPT = 256; // the longest response whose result is kept
const KEY_BYTES = 16; // bytes of a response keyOf hashes

// answers maps a hash of response bytes to {bytes, res}: a module gives the
// same few responses again and again, and a response's checked result
// depends on its bytes alone. It holds at most ANSWERS_KEPT responses of at
// most ANSWER_BYTES_KEPT bytes, the first ones seen, whatever the events.
const answers = new Map();

// answer returns the checked result the response bytes (in guest memory)
// say: decoded, an error response turned into a failure, checked against
// the contract, its calls made ready to apply. A result the contract allows
// is kept, and a response with the very same bytes reuses it.
function answer(bytes) {
  const key = keyOf(bytes);
  const kept = answers.get(key);
  if (kept !== undefined && equalBytes(kept.bytes, bytes)) return kept.res;
  let res;
  try {
    res = decodeResponse(bytes);
  } catch (err) {
    throw new Failure('bad-response', 'guest', messageOf(err));
  }
  if (res.error !== null) throw new Failure('guest-error', 'guest', `${res.error.code}: ${res.error.message}`);
  const refusal = check(res);
  if (refusal) throw new Failure('forbidden', 'guest', refusal);
  const checked = {
    said: `[${CONTRACT.action}] decision=${CONTRACT.outcomes[res.reason].decision} reason=${res.reason}`,
    calls: res.calls.map((c) => applicable(c.op, c.args.map((a) => a.value))),
  };
  if (kept === undefined && answers.size < ANSWERS_KEPT && bytes.length <= ANSWER_BYTES_KEPT) {
    answers.set(key, { bytes: bytes.slice(), res: checked });
  }
  return checked;
}

// keyOf hashes the length and the last KEY_BYTES bytes of a response, where
// responses differ most; answer compares all bytes before reusing a result.
function keyOf(bytes) {
  let h = 0x811c9dc5 ^ bytes.length;
  for (let i = Math.max(0, bytes.length - KEY_BYTES); i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return h >>> 0;
}

function equalBytes(a, b) {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

// check returns why the contract does not allow res, or '' when it does:
// the reason must be known and the calls exactly those it takes. It mirrors
// Contract.Check in internal/contract.
function check(res) {
  if (!hasOwn(CONTRACT.outcomes, res.reason)) {
    return `unknown reason code (${Buffer.byteLength(res.reason, 'utf8')} bytes)`;
  }
  const want = CONTRACT.outcomes[res.reason].calls;
  if (res.calls.length !== want.length) {
    return `reason ${res.reason} takes ${want.length} calls, got ${res.calls.length}`;
  }
  for (let i = 0; i < res.calls.length; i++) {
    const call = res.calls[i];
    const spec = want[i];
    const where = `call ${i + 1}`;
    if (call.op !== spec.op) return `${where}: op is not ${spec.op}`;
    if (call.args.length !== spec.args.length) {
      return `${where} ${call.op}: ${call.args.length} arguments, want ${spec.args.length}`;
    }
    for (let a = 0; a < call.args.length; a++) {
      const why = checkArg(spec.args[a], call.args[a]);
      if (why) return `${where} ${call.op}: argument ${a + 1}: ${why}`;
    }
  }
  return '';
}

// checkArg returns why spec does not allow arg, or ''. maxLen and oneOf are
// optional in the contract, so they are read as own properties only.
function checkArg(spec, arg) {
  const kind = KIND_NAMES[arg.kind];
  if (kind !== spec.kind) return `kind ${kind}, want ${spec.kind}`;
  const maxLen = hasOwn(spec, 'maxLen') ? spec.maxLen : 0;
  if (maxLen > 0 && Buffer.byteLength(arg.value, 'utf8') > maxLen) return `longer than ${maxLen} bytes`;
  const oneOf = hasOwn(spec, 'oneOf') ? spec.oneOf : [];
  if (oneOf.length === 0 || oneOf.includes(arg.value)) return '';
  return 'value not allowed';
}

// applicable returns a call ready for apply: the op split into the path to
// its object and its method's name, and the argument values.
function applicable(op, values) {
  const path = op.split('.');
  const method = path.pop();
  return { op, path, method, values };
}

const RETURNED_PROMISE = 'returned a promise (api methods are synchronous)';

// apply makes one call on Auth0's api object; it returns an error message or
// ''. Auth0's api methods return nothing a caller awaits: one that returns a
// promise (or any thenable) has failed as if it had thrown, and its
// rejection is handled here, never left to take the process down.
function apply(api, call) {
  try {
    let target = api;
    for (const step of call.path) target = target[step];
    const returned = target[call.method](...call.values);
    if (!isThenable(returned)) return '';
    ignoreRejection(returned);
    return `${call.op}: ${RETURNED_PROMISE}`;
  } catch (err) {
    return `${call.op}: ${messageOf(err)}`;
  }
}

// isThenable reports whether v has a then method; it throws what a getter
// of then throws.
function isThenable(v) {
  return ((typeof v === 'object' && v !== null) || typeof v === 'function') && typeof v.then === 'function';
}

function ignore() {}

// ignoreRejection handles a rejection of thenable: through Promise's own
// then when it is a promise (whatever its then property says), else
// through its then.
function ignoreRejection(thenable) {
  try {
    promiseThen.call(thenable, undefined, ignore);
    return;
  } catch (_) {
    // not a promise
  }
  try {
    thenable.then(undefined, ignore);
  } catch (_) {
    // its then threw: nothing is pending
  }
}

// fallbackCalls are the contract's fallback calls, ready for apply.
const fallbackCalls = CONTRACT.fallback.map((c) => applicable(c.op, c.args));

// handle is the exported Auth0 handler. It resolves, whatever happens.
async function handle(event, api) {
  const started = process.hrtime.bigint(); // not performance.now: Node 18 loads perf_hooks (about 6 ms) at its first use
  let calls;
  let said; // the line's start: action, decision, reason
  let failure = null;
  let fields = null; // what the module got, once read
  try {
    fields = readFields(event);
    const res = decide(fields);
    calls = res.calls;
    said = res.said;
  } catch (err) {
    failure = err instanceof Failure ? err : new Failure('shim-error', 'shim', messageOf(err));
    calls = fallbackCalls;
    said = `[${CONTRACT.action}] decision=fallback reason=${failure.reason}`;
  }
  const failed = [];
  for (const call of calls) {
    const error = apply(api, call);
    if (error !== '') failed.push(error);
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  // The fixed words come from the contract; only the free text (a failure's
  // detail, an api error) can carry event data, so only it is scrubbed.
  let line = `${said} calls=${calls.length - failed.length} ms=${ms.toFixed(2)}`;
  if (failure) line += ` side=${failure.side} detail=${scrub(failure.message, event, fields, failure.output)}`;
  if (failed.length > 0) line += ` api-failed=${scrub(failed.join('; '), event, fields)}`;
  console.log(clip(line));
}

// scrub makes free text safe to log, with the first line of output (what
// the guest wrote, when given) after it. Every white-space separated piece
// of every secret value (secretsOf) is replaced, longest first (so that a
// secret inside another is not left half-shown): a secret is found however
// the text spaces its pieces, and taking the first line cannot split a
// piece. Then a piece cut short where the output capture ended is replaced
// too, and the text folded onto one line. When a piece is shorter than
// MIN_REDACTED_SECRET bytes, where the replacements fall would spell it out,
// or the secrets cannot be read, the whole text is withheld instead.
function scrub(text, event, fields, output) {
  const secrets = secretsOf(event, fields);
  if (secrets === null) return WITHHELD_UNREADABLE;
  const pieces = piecesOf(secrets);
  if (pieces.some((p) => Buffer.byteLength(p, 'utf8') < MIN_REDACTED_SECRET)) return WITHHELD;
  let out = text;
  for (const piece of pieces) out = out.split(piece).join(REDACTED);
  if (output !== undefined) {
    const line = firstLine(redactOutput(output, pieces));
    if (line !== '') out += `: ${line}`;
  }
  return out.replace(SPACE, ' ');
}

// piecesOf returns the distinct white-space separated pieces of values and
// of their well-formed forms (lone surrogates as U+FFFD, the form UTF-8
// carries), longest in UTF-8 first.
function piecesOf(values) {
  const pieces = new Set();
  for (const v of values) {
    for (const form of [v, Buffer.from(v, 'utf8').toString('utf8')]) {
      for (const p of form.split(SPACE)) if (p !== '') pieces.add(p);
    }
  }
  return [...pieces].sort((a, b) => Buffer.byteLength(b, 'utf8') - Buffer.byteLength(a, 'utf8'));
}

// redactOutput returns output's bytes with every piece (UTF-8) replaced and,
// when the capture was cut, a tail that is the start of a piece replaced
// too.
function redactOutput(output, pieces) {
  const redacted = Buffer.from(REDACTED);
  const needles = pieces.map((s) => Buffer.from(s, 'utf8'));
  let bytes = output.bytes;
  for (const needle of needles) {
    const parts = [];
    let from = 0;
    for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, from)) {
      parts.push(bytes.subarray(from, at), redacted);
      from = at + needle.length;
    }
    if (parts.length > 0) bytes = Buffer.concat([...parts, bytes.subarray(from)]);
  }
  if (!output.cut) return bytes;
  for (const needle of needles) {
    for (let n = Math.min(needle.length - 1, bytes.length); n > 0; n--) {
      if (bytes.subarray(bytes.length - n).equals(needle.subarray(0, n))) {
        return Buffer.concat([bytes.subarray(0, bytes.length - n), redacted]);
      }
    }
  }
  return bytes;
}

// firstLine returns the first non-empty line of bytes, trimmed.
function firstLine(bytes) {
  const line = bytes.toString('utf8').split('\n').map((l) => l.trim()).find((l) => l !== '');
  return line === undefined ? '' : line;
}

// clip cuts line to the LOG_LIMIT characters Auth0 keeps, counted as
// JavaScript counts them (UTF-16 units), never splitting a surrogate pair.
function clip(line) {
  if (line.length <= LOG_LIMIT) return line;
  let end = LOG_LIMIT - 1;
  const last = line.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${line.slice(0, end)}…`;
}

// messageOf returns the message of anything thrown, Error or not, and
// never throws itself (String() throws for an object with no prototype).
function messageOf(err) {
  try {
    return err instanceof Error ? String(err.message) : String(err);
  } catch (_) {
    return '(a thrown value that cannot be printed)';
  }
}

// secretsOf returns every secret value that free text might show, or null
// when the event's secrets cannot be read: the secrets the module got
// (fields, when they were read), and every string the event's secrets
// object holds under a name the contract reads (inherited or not) or as
// an own property (enumerable or not).
function secretsOf(event, fields) {
  const values = fields === null ? [] : SECRET_READS.map((i) => fields[i]);
  try {
    const secrets = event === null || event === undefined ? undefined : event.secrets;
    if (secrets !== null && (typeof secrets === 'object' || typeof secrets === 'function')) {
      for (const name of SECRET_NAMES) values.push(secrets[name]);
      for (const name of Object.getOwnPropertyNames(secrets)) values.push(secrets[name]);
    }
  } catch (_) {
    return null;
  }
  return values.filter((v) => typeof v === 'string' && v !== '');
}

exports[CONTRACT.trigger.handler] = handle;
