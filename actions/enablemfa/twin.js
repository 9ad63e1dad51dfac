'use strict';
// twin.js is enable_mfa's decision in plain JavaScript, written the
// ordinary way as an Auth0 handler with no logging. shim/bench/bench.js times
// the bundle against it, and shim/test/twins.test.js holds it to the bundle:
// both decide every shared case the action answers alike.

// onExecutePreUserRegistration makes the calls enable_mfa's bundle makes, as its decision.
async function onExecutePreUserRegistration(event, api) {
  api.user.setAppMetadata('auth_require_mfa', true);
  api.user.setAppMetadata('uses_new_mfa_action', true);
}

module.exports = { onExecutePreUserRegistration };
