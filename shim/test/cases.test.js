'use strict';
// The shared cases (testdata/<action>/*.json) against the built bundles:
// each case's event must give exactly its calls and its reason.

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');

const manifest = h.manifest();

for (const action of manifest.actions) {
  describe(action.name, () => {
    const { files, cases, errors } = h.readCases(action.name);

    it('has shared cases', () => {
      assert.deepEqual(errors, [], 'unusable case files');
      assert.ok(files.length > 0, `testdata/${action.name}/ has no *.json case file, want at least one`);
      assert.ok(cases.length > 0, `testdata/${action.name}/ has no cases, want at least one`);
    });

    it('has unique case names', () => {
      const seen = new Map();
      const dups = [];
      for (const c of cases) {
        if (seen.has(c.name)) dups.push(`${JSON.stringify(c.name)} in ${seen.get(c.name)} and ${c.file}`);
        else seen.set(c.name, c.file);
      }
      assert.deepEqual(dups, [], 'duplicate case names');
    });

    const handler = h.handlerOf(h.load(h.bundlePath(action.bundle)));
    for (const c of cases) {
      it(c.name, async () => {
        assert.equal(typeof c.reason, 'string', `${c.file}: case has no reason`);
        assert.ok(Array.isArray(c.calls), `${c.file}: case has no calls array`);
        const event = structuredClone(c.event);
        const run = await h.execute(handler, event);
        assert.deepEqual(run.calls, c.calls, `api calls: got ${JSON.stringify(run.calls)}, want ${JSON.stringify(c.calls)}`);
        assert.equal(run.parsed.reason, c.reason, `reason in log line ${JSON.stringify(run.line)}`);
        assert.equal(run.parsed.action, action.name, 'action named in the log line');
        const fallback = h.FAILURE_REASONS.includes(c.reason);
        assert.equal(run.parsed.decision === 'fallback', fallback,
          `log line ${run.line}: want decision ${fallback ? '' : 'other than '}fallback for reason ${c.reason}`);
        assert.equal(run.parsed.calls, c.calls.length, `calls= in log line ${run.line}`);
        assert.deepEqual(event, c.event, 'the handler changed the event');
      });
    }
  });
}
