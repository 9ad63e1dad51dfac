'use strict';
// journeys.js runs user journeys through actions as a tenant holds them, the
// way Auth0 runs a flow: each bound action in order, with its own secrets,
// on a copy of the event; api calls recorded (the trigger's whole api
// object, internal/auth0api); metadata changes collected
// during the flow and written to the user once, at its end.
//
//   node journeys.js INPUT_FILE
//
// INPUT_FILE is JSON:
//   {"flows": {"<trigger>": [{"name", "file", "secrets": {NAME: value}}]},
//    "journeys": [{"name", "steps": [{"name", "kind", "email", "tenant", "ip"}]}]}
// kind is "signup" (pre-user-registration; creates the user), "login" (a
// new login: post-login, stats.logins_count one more) or "refresh" (a
// refresh token exchange: post-login, logins_count unchanged).
//
// It prints JSON on stdout:
//   {"journeys": [{"name", "steps": [{"name", "actions": [{"name", "line",
//    "calls", "error"}], "challenged", "metadata_writes", "user"}]}]}
// where line is the action's console output, calls its api calls as
// {op, args}, challenged whether any action called multifactor.enable,
// metadata_writes the user updates the flow made (0 or 1) and user the user
// after the step.

const fs = require('fs');
const path = require('path');
const { captureConsole } = require('../../shim/test/helpers.js');
const { DESCRIPTION, recordingApi } = require('../auth0api/auth0api.js');

const PROTOCOLS = { login: 'oidc-basic-profile', refresh: 'oauth2-refresh-token' };

const input = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));

// load returns each flow's actions with their handlers.
function load(flows) {
  const out = {};
  for (const [trigger, actions] of Object.entries(flows)) {
    out[trigger] = actions.map((a) => {
      const mod = require(path.resolve(a.file));
      const name = DESCRIPTION[trigger].handler;
      const handler = mod[name];
      if (typeof handler !== 'function') throw new Error(`${a.name}: no ${name} export`);
      return { ...a, handler };
    });
  }
  return out;
}

// runAction runs one action's handler on its own copy of the event and
// returns {name, line, calls, error}.
async function runAction(action, trigger, event) {
  const { api, calls } = recordingApi(trigger);
  const got = await captureConsole(
    () => action.handler({ ...structuredClone(event), secrets: { ...action.secrets } }, api));
  const error = got.error === undefined ? undefined : String(got.error && got.error.stack || got.error);
  return { name: action.name, line: got.logs.map((l) => l.text).join('\n'), calls, error };
}

// runFlow runs every action of trigger in order and returns their results,
// the metadata changes they asked for in call order, and whether MFA was
// required.
async function runFlow(flows, trigger, event) {
  const results = [];
  for (const action of flows[trigger] || []) results.push(await runAction(action, trigger, event));
  const changes = results.flatMap((r) => r.calls).filter((c) => c.op.startsWith('user.set'));
  const challenged = results.some((r) => r.calls.some((c) => c.op === 'multifactor.enable'));
  return { results, changes, challenged };
}

// apply writes a flow's metadata changes to user, as one update.
function apply(user, changes) {
  for (const { op, args: [key, value] } of changes) {
    const field = op === 'user.setAppMetadata' ? 'app_metadata' : 'user_metadata';
    if (value === null) delete user[field][key];
    else user[field][key] = value;
  }
}

async function step(flows, state, s) {
  const tenant = { id: s.tenant };
  const request = { ip: s.ip, body: {} };
  if (s.kind === 'signup') {
    const event = { tenant, request, user: { email: s.email, app_metadata: {}, user_metadata: {} } };
    const flow = await runFlow(flows, 'pre-user-registration', event);
    state.user = { email: s.email, app_metadata: {}, user_metadata: {}, logins_count: 0 };
    apply(state.user, flow.changes);
    return { flow, writes: 0 }; // created with its metadata: no separate update
  }
  if (!state.user) throw new Error(`step ${s.name}: ${s.kind} before signup`);
  if (s.kind === 'login') state.user.logins_count++;
  const { logins_count: count, ...user } = state.user;
  const event = {
    tenant, request, transaction: { protocol: PROTOCOLS[s.kind] },
    user: structuredClone(user), stats: { logins_count: count },
  };
  const flow = await runFlow(flows, 'post-login', event);
  apply(state.user, flow.changes);
  return { flow, writes: flow.changes.length > 0 ? 1 : 0 };
}

async function main() {
  const flows = load(input.flows);
  const out = { journeys: [] };
  for (const j of input.journeys) {
    const state = { user: null };
    const steps = [];
    for (const s of j.steps) {
      const { flow, writes } = await step(flows, state, s);
      steps.push({
        name: s.name, actions: flow.results, challenged: flow.challenged,
        metadata_writes: writes, user: structuredClone(state.user),
      });
    }
    out.journeys.push({ name: j.name, steps });
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((err) => {
  process.stderr.write(`journeys: ${err && err.stack || err}\n`);
  process.exit(1);
});
