'use strict';
// The Node 18 half of the registry rehearsal (make test-registry, run by
// internal/registrytest): each action's bundle, copied next to a node_modules
// into which npm installed the action's dependencies from a registry, gives
// every shared case its calls; a copy whose installed package has one byte of
// the module changed, or that has no package at all, makes the action's
// fallback calls and logs reason module-load. REGISTRY_REHEARSAL holds
// {installed: {action: folder}, tampered: {action: folder}, missing: folder},
// folders holding the bundles.

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const path = require('path');
const h = require('../helpers');

const REHEARSAL = process.env.REGISTRY_REHEARSAL;
if (!REHEARSAL) throw new Error('REGISTRY_REHEARSAL is not set: run make test-registry');
const { installed, tampered, missing } = JSON.parse(REHEARSAL);
const actions = h.manifest().actions;

// handlerIn loads an action's bundle from a folder.
function handlerIn(dir, action) {
  return h.handlerOf(h.load(path.join(dir, action.bundle)));
}

// casesOf holds each action's shared cases, read once.
const casesOf = Object.fromEntries(actions.map((a) => [a.name, h.readCases(a.name)]));

// firstCase returns an action's first shared case.
function firstCase(action) {
  const { cases, errors } = casesOf[action.name];
  assert.deepEqual(errors, [], 'unusable case files');
  assert.ok(cases.length > 0, `testdata/${action.name}/ has no cases`);
  return cases[0];
}

// assertCase asserts a run gave a case's calls and reason.
function assertCase(run, c, action) {
  assert.equal(run.parsed.action, action.name, `action in log line ${run.line}`);
  assert.deepEqual(run.calls, c.calls, `api calls: got ${JSON.stringify(run.calls)}, want ${JSON.stringify(c.calls)}`);
  assert.equal(run.parsed.reason, c.reason, `reason in log line ${run.line}`);
  assert.equal(run.parsed.calls, c.calls.length, `calls= in log line ${run.line}`);
}

// assertModuleLoad asserts a run fell back because the module could not be
// loaded, with detail matching want.
function assertModuleLoad(run, action, want) {
  h.assertFallback(run, action.name, 'module-load', 'shim');
  assert.match(run.parsed.detail, want, `detail in ${run.line}`);
}

// dependencyFile returns the path a dependency's package.json resolves to
// from dir (require.resolve throws when it does not resolve).
function dependencyFile(dependency, dir) {
  return require.resolve(`${dependency.name}/package.json`, { paths: [dir] });
}

describe('the packages installed from the registry', () => {
  for (const action of actions) {
    describe(action.name, () => {
      const dir = installed[action.name];
      it('resolves its dependencies from its clean folder\'s node_modules', () => {
        assert.ok(action.dependencies.length > 0, `${action.name} has no dependencies in ${path.relative(h.ROOT, h.BUILD)}/manifest.json`);
        for (const d of action.dependencies) {
          assert.equal(dependencyFile(d, dir), path.join(dir, 'node_modules', d.name, 'package.json'));
        }
      });
      const { cases, errors } = casesOf[action.name];
      it('has shared cases', () => {
        assert.deepEqual(errors, [], 'unusable case files');
        assert.ok(cases.length > 0, `testdata/${action.name}/ has no cases`);
      });
      const handler = handlerIn(dir, action);
      for (const c of cases) {
        it(c.name, async () => assertCase(await h.execute(handler, structuredClone(c.event)), c, action));
      }
    });
  }
});

describe('a tampered copy of the installed package (one byte of the module)', () => {
  for (const action of actions) {
    it(`${action.name} falls back`, async () => {
      const run = await h.execute(handlerIn(tampered[action.name], action), structuredClone(firstCase(action).event));
      assertModuleLoad(run, action, /SHA-256/);
    });
  }
});

describe('no installed package', () => {
  for (const action of actions) {
    it(`${action.name} falls back`, async () => {
      for (const d of action.dependencies) {
        assert.throws(() => dependencyFile(d, missing), { code: 'MODULE_NOT_FOUND' }, `${d.name} resolves from ${missing}`);
      }
      const run = await h.execute(handlerIn(missing, action), structuredClone(firstCase(action).event));
      assertModuleLoad(run, action, /not installed/);
    });
  }
});
