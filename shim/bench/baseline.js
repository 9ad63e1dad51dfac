'use strict';
// baseline.js holds the plain JavaScript the wasm actions are measured
// against: each action's decision written the ordinary way, as one Auth0
// handler per action, with no logging. bench.js checks that each gives the
// expected calls on every case it is timed on, so the baseline does the same
// work as the module, not less.

const net = require('net');

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
  const value = secret(event, name).trim() === '' ? fallback : secret(event, name);
  return domainOf(`@${value}`);
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

// canonicalIP returns ip's canonical form, or '' when it is not one address.
function canonicalIP(ip) {
  if (typeof ip !== 'string' || ip.length > 64) return '';
  const family = net.isIP(ip);
  if (family === 4) return ip;
  if (family !== 6) return '';
  const address = hexTail(new net.SocketAddress({ address: ip, family: 'ipv6' }).address);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(address);
  if (!mapped) return address;
  const hi = parseInt(mapped[1], 16);
  const lo = parseInt(mapped[2], 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

// hexTail writes a dotted IPv4 tail of an IPv6 address as two hex groups.
function hexTail(address) {
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  if (!dotted) return address;
  const [a, b, c, d] = dotted.slice(1).map(Number);
  return `${address.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}

module.exports = {
  mfa_action: {
    async onExecutePostLogin(event, api) {
      if (mfaRequired(event)) api.multifactor.enable('any');
    },
  },
  add_ip_to_metadata: {
    async onExecutePostLogin(event, api) {
      const ip = canonicalIP(get(event, 'request', 'ip'));
      if (ip !== '' && get(event, 'user', 'user_metadata', 'last_ip') !== ip) api.user.setUserMetadata('last_ip', ip);
    },
  },
  enable_mfa: {
    async onExecutePreUserRegistration(event, api) {
      api.user.setAppMetadata('auth_require_mfa', true);
      api.user.setAppMetadata('uses_new_mfa_action', true);
    },
  },
};
