'use strict';
// stream.js runs one bundle on a stream of events, as one warm container
// would, for the Go bounded-memory test (internal/host/stream_test.go):
//
//	node stream.js BUNDLE < EVENTS
//
// EVENTS holds one JSON event per line. Each goes through the handler with
// a recording api, and stream.js prints one JSON line per event: {"calls":
// [{op, args}], "lines": the console.log lines, "memory": the bytes of the
// module's memory after the execution, "instances": how many instances
// the bundle has started so far}.

const readline = require('readline');
const h = require('./helpers');

// started holds the instances the bundle starts: WebAssembly.Instance is
// wrapped before the bundle is loaded.
const started = [];
const Instance = WebAssembly.Instance;
WebAssembly.Instance = new Proxy(Instance, {
  construct(target, args, newTarget) {
    const inst = Reflect.construct(target, args, newTarget);
    started.push(inst);
    return inst;
  },
});

async function main() {
  const handler = h.handlerOf(require(process.argv[2]));
  const lines = [];
  console.log = (...args) => lines.push(args.map(String).join(' '));
  for await (const text of readline.createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    const { api, calls } = h.handlerApi(handler);
    lines.length = 0;
    await handler(JSON.parse(text), api);
    const last = started[started.length - 1];
    const memory = last === undefined ? 0 : last.exports.memory.buffer.byteLength;
    process.stdout.write(`${JSON.stringify({ calls, lines, memory, instances: started.length })}\n`);
  }
}

main().catch((err) => {
  process.stderr.write(`stream.js: ${err.stack || err}\n`);
  process.exit(1);
});
