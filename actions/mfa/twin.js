'use strict';
// twin.js is mfa_action's decision in plain JavaScript, written the
// ordinary way as an Auth0 handler with no logging. shim/bench/bench.js times
// the bundle against it, and shim/test/twins.test.js holds it to the bundle:
// both decide every shared case the action answers alike.

const REFRESH = 'oauth2-refresh-token';
const DEFAULT_FORCE_MFA_DOMAIN = 'forcemfa.floatme.io';

// domainOf is the README's email domain: trimmed, ASCII lower-cased, after
// the last '@', one trailing dot removed; '' when there is none.
function domainOf(value) {
  if (typeof value !== 'string') return '';
  const email = value.trim().replace(/[A-Z]+/g, (s) => s.toLowerCase());
  const at = email.lastIndexOf('@');
  if (at < 0) return '';
  const domain = email.slice(at + 1);
  return domain.endsWith('.') ? domain.slice(0, -1) : domain;
}

function secret(event, name) {
  const secrets = event.secrets || {};
  return typeof secrets[name] === 'string' ? secrets[name] : '';
}

function configuredDomain(event, name, fallback) {
  const value = secret(event, name).trim();
  return domainOf(`@${value === '' ? fallback : value}`);
}

function isTrue(value) {
  return value === true || (typeof value === 'string' && value.trim().toLowerCase() === 'true');
}

function challengeRequested(body) {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
  const v = body.challengeRequired;
  if (v === undefined || v === null || v === false || v === 0) return false;
  if (typeof v !== 'string') return true;
  return !['', 'false', '0'].includes(v.trim().toLowerCase());
}

function get(obj, ...steps) {
  let cur = obj;
  for (const step of steps) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = cur[step];
  }
  return cur;
}

function mfaRequired(event) {
  const testTenantId = secret(event, 'TEST_TENANT_ID');
  const testTenant = testTenantId !== '' && testTenantId === get(event, 'tenant', 'id');
  const refresh = get(event, 'transaction', 'protocol') === REFRESH;
  const domain = domainOf(get(event, 'user', 'email'));
  const integration = configuredDomain(event, 'INTEGRATION_TEST_EMAIL_DOMAIN', '');
  if (testTenant && refresh) return domain === configuredDomain(event, 'FORCE_MFA_EMAIL_DOMAIN', DEFAULT_FORCE_MFA_DOMAIN);
  if (testTenant && integration !== '' && domain === integration) return false;
  const logins = get(event, 'stats', 'logins_count');
  if (typeof logins === 'number' && logins <= 1) return false;
  if (isTrue(get(event, 'user', 'app_metadata', 'auth_require_mfa'))) return true;
  return challengeRequested(get(event, 'request', 'body'));
}

// onExecutePostLogin makes the calls mfa_action's bundle makes, as its decision.
async function onExecutePostLogin(event, api) {
  if (mfaRequired(event)) api.multifactor.enable('any');
}

module.exports = { onExecutePostLogin };
