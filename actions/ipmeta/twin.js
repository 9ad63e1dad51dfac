'use strict';
// twin.js is add_ip_to_metadata's decision in plain JavaScript, written the
// ordinary way as an Auth0 handler with no logging. shim/bench/bench.js times
// the bundle against it, and shim/test/twins.test.js holds it to the bundle:
// both decide every shared case the action answers alike.

const net = require('net');

// canonicalIP returns ip's canonical form, or '' when it is not one address
// (a zone, which net.isIP accepts, is not part of one).
function canonicalIP(ip) {
  if (typeof ip !== 'string' || ip.length > 64 || ip.includes('%')) return '';
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

// onExecutePostLogin makes the calls add_ip_to_metadata's bundle makes, as its decision.
async function onExecutePostLogin(event, api) {
  const ip = canonicalIP(event?.request?.ip);
  if (ip !== '' && event?.user?.user_metadata?.last_ip !== ip) api.user.setUserMetadata('last_ip', ip);
}

module.exports = { onExecutePostLogin };
