'use strict';
// Static checks on the built bundles (build/*.js): what they require, what
// they export, and that loading one is silent.

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('crypto');
const fs = require('fs');
const Module = require('module');
const path = require('path');
const h = require('./helpers');
const auth0api = require('../../internal/auth0api/auth0api.js');

const ALLOWED = ['crypto', 'fs'];
// AT_LOAD are the modules a bundle requires when Auth0 loads it, and AT_FIRST
// those it requires in its first execution: an embedded module needs nothing
// to load (crypto would cost a Node 18 cold start several ms) and fs to read
// /dev/urandom; a packaged one reads its package (fs) and checks its digest.
const AT_LOAD = { embedded: [], 'npm-package': ['crypto', 'fs'] };
const AT_FIRST = { embedded: ['fs'], 'npm-package': ['fs'] };
const manifest = h.manifest();

// staticRequires returns the names source requires with a literal name.
function staticRequires(source) {
  return [...source.matchAll(/\brequire\s*\(\s*(['"`])([^'"`]*)\1\s*\)/g)].map((m) => m[2]);
}

it('build/ holds exactly the bundles of manifest.json', () => {
  const got = fs.readdirSync(h.BUILD).filter((f) => f.endsWith('.js')).sort();
  const want = manifest.actions.map((a) => a.bundle).sort();
  assert.deepEqual(got, want, `build/*.js: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
});

for (const action of manifest.actions) {
  describe(action.bundle, () => {
    const file = h.bundlePath(action.bundle);
    const source = fs.readFileSync(file, 'utf8');

    it('matches its manifest sha256', () => {
      const got = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
      assert.equal(got, action.sha256, 'sha256 of the bundle: run `make wasm` again');
    });

    it(`is within Auth0's ${manifest.budget_bytes}-byte budget`, () => {
      const got = fs.statSync(file).size;
      assert.ok(got <= manifest.budget_bytes, `${action.bundle}: ${got} bytes, over ${manifest.budget_bytes}`);
    });

    if (action.delivery === 'embedded') {
      it('embeds its module, and depends on no npm package', () => {
        assert.deepEqual(action.dependencies, [], `dependencies: ${JSON.stringify(action.dependencies)}`);
        const m = /"base64":"([A-Za-z0-9+/=]*)","bytes":(\d+)/.exec(source);
        assert.ok(m, 'the bundle has no embedded module');
        const wasm = Buffer.from(m[1], 'base64');
        assert.equal(wasm.length, Number(m[2]), 'decoded length against the length it records');
        assert.equal(crypto.createHash('sha256').update(wasm).digest('hex'), action.wasm_sha256, 'sha256 of the embedded module');
        assert.ok(wasm.equals(fs.readFileSync(path.join(h.BUILD, action.wasm))), `the embedded module is ${action.wasm}`);
      });
    } else {
      it('loads its module from its npm dependency, pinned by SHA-256', () => {
        assert.equal(action.delivery, 'npm-package', 'manifest.json delivery');
        assert.equal(action.dependencies.length, 1, `dependencies: ${JSON.stringify(action.dependencies)}`);
        const dep = action.dependencies[0];
        const header = `// module from npm package ${dep.name}@${dep.version}, file ${action.wasm}\n`;
        assert.ok(source.includes(header), `bundle header lacks ${JSON.stringify(header)}`);
        const resolved = require.resolve(`${dep.name}/${action.wasm}`, { paths: [path.dirname(file)] });
        const got = crypto.createHash('sha256').update(fs.readFileSync(resolved)).digest('hex');
        assert.equal(got, action.wasm_sha256, `sha256 of ${resolved}`);
        assert.ok(source.includes(`"sha256":"${action.wasm_sha256}"`), 'the bundle pins the module\'s sha256');
      });
    }

    it(`requires only ${ALLOWED.join(', ')}, by literal name`, () => {
      const calls = source.match(/\brequire\s*\(/g) || [];
      const literal = staticRequires(source);
      assert.equal(literal.length, calls.length,
        `require calls: ${calls.length}, of which ${literal.length} with a literal name`);
      const others = literal.filter((name) => !ALLOWED.includes(name));
      assert.deepEqual(others, [], `required modules other than ${ALLOWED.join(', ')} (no npm package, no wasi)`);
      assert.equal(/\bimport\s*\(/.test(source), false, 'the bundle has a dynamic import()');
    });

    it('exports exactly its trigger\'s handler, an async function', () => {
      const described = auth0api.DESCRIPTION[action.trigger.id];
      assert.ok(described, `trigger ${action.trigger.id} in manifest.json: internal/auth0api/api.json does not describe it`);
      const want = described.handler;
      assert.equal(action.handler, want, 'handler named in manifest.json');
      const mod = h.load(file);
      assert.deepEqual(Object.keys(mod), [want], 'exported names');
      assert.equal(Object.prototype.toString.call(mod[want]), '[object AsyncFunction]', `${want} is not an async function`);
    });

    it('loads silently, compiles once, and requires only what it needs when', async () => {
      const required = [];
      const savedRequire = Module.prototype.require;
      const wasm = h.countWasm();
      let got;
      let first;
      try {
        got = await h.captureConsole(async () => {
          Module.prototype.require = function require(id) {
            if (this.filename === file) required.push(id);
            return savedRequire.apply(this, arguments);
          };
          const handler = h.handlerOf(h.load(file, { fresh: true }));
          first = required.splice(0);
          await handler({}, h.recordingApi(action.trigger.id).api);
          Module.prototype.require = savedRequire;
        });
      } finally {
        Module.prototype.require = savedRequire;
        wasm.restore();
      }
      assert.equal(got.error, undefined, `requiring ${path.basename(file)} threw ${got.error}`);
      assert.equal(got.logs.length, 1, `console output: want the one line of the execution, got ${JSON.stringify(got.logs)}`);
      assert.deepEqual(got.writes, [], 'stderr output');
      assert.deepEqual([...new Set(first)].sort(), AT_LOAD[action.delivery], 'modules required at load');
      assert.deepEqual([...new Set(required)].sort(), AT_FIRST[action.delivery], 'modules required by the first execution');
      assert.equal(wasm.counts.compile + wasm.counts.Module, 1, `compiles: ${JSON.stringify(wasm.counts)}`);
      assert.equal(wasm.counts.instantiate + wasm.counts.Instance, 1, `instances: ${JSON.stringify(wasm.counts)}`);
    });
  });
}
