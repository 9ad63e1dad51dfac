'use strict';
// auth0api.js builds mocks of the api object Auth0 passes to a handler, from
// api.json (the one description of it, per trigger; see auth0api.go). It
// needs no npm package: the Go tools write it next to a copy of api.json.

const DESCRIPTION = require('./api.json');

// methodsOf returns trigger's {op: returns}, or throws naming the trigger.
function methodsOf(trigger) {
  const t = Object.hasOwn(DESCRIPTION, trigger) ? DESCRIPTION[trigger] : undefined;
  if (!t) throw new Error(`auth0api: no api object is described for the trigger ${JSON.stringify(trigger)} (internal/auth0api/api.json)`);
  return t.methods;
}

// apiFor returns an object shaped as trigger's api: every method api.json
// lists, at its path. A call runs onCall(op, args), which may throw, then
// returns what api.json says Auth0's does ("api": the api object, null:
// undefined). It reads own properties only, so a polluted Object.prototype
// changes nothing.
function apiFor(trigger, onCall) {
  const api = {};
  for (const [op, returns] of Object.entries(methodsOf(trigger))) {
    const steps = op.split('.');
    let obj = api;
    for (const step of steps.slice(0, -1)) obj = Object.hasOwn(obj, step) ? obj[step] : (obj[step] = {});
    obj[steps[steps.length - 1]] = (...args) => {
      onCall(op, args);
      if (returns === 'api') return api;
      return returns === null ? undefined : structuredClone(returns);
    };
  }
  return api;
}

// recordingApi returns {api, calls}: trigger's api, recording each call as
// {op, args} in calls. throwing maps an op to a function run before the call
// is recorded; it may throw.
function recordingApi(trigger, throwing = {}) {
  const calls = [];
  const api = apiFor(trigger, (op, args) => {
    if (Object.hasOwn(throwing, op)) throwing[op](...args);
    calls.push({ op, args });
  });
  return { api, calls };
}

module.exports = { DESCRIPTION, methodsOf, apiFor, recordingApi };
