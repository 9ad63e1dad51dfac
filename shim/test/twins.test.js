'use strict';
// Each action's plain-JavaScript twin (twin.js in its Go package, when it
// brings one) decides every shared case the action answers as its bundle
// does: the twin is the bench's baseline and an oracle of the decision.

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');

for (const action of h.manifest().actions) {
  const twin = h.twinOf(action.name);
  describe(`${action.name}'s twin`, () => {
    if (!twin) {
      it.skip('none: no twin.js in its Go package (the bench times the bundle alone)');
      return;
    }
    it('decides every shared case the action answers as the bundle does', async () => {
      const bundle = h.handlerOf(h.load(h.bundlePath(action.bundle)));
      const run = require(twin)[action.handler];
      assert.equal(typeof run, 'function', `${twin} exports no ${action.handler}`);
      const cases = h.decidedCases(action.name);
      assert.notDeepEqual(cases, [], `testdata/${action.name}/ has no case the action decides`);
      for (const c of cases) {
        const want = await h.execute(bundle, structuredClone(c.event));
        const got = h.recordingApi(action.trigger.id);
        await run(structuredClone(c.event), got.api);
        assert.deepEqual(got.calls, want.calls, `${c.file} "${c.name}": the twin's calls, want the bundle's`);
      }
    });
  });
}
