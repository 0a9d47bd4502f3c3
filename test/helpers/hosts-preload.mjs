/*
 * A hosts file for a spawned CLI, loaded with `node --import` (NODE_OPTIONS): names listed in
 * SUPASYNC_TEST_HOSTS ("name=127.0.0.1,other=127.0.0.1") resolve to those loopback addresses, so a
 * test can give the API a real, non-loopback host name (one the client does not treat as loopback)
 * without any DNS query leaving the machine. Everything else resolves as usual.
 */
import dns from 'node:dns';

const hosts = new Map(
  (process.env.SUPASYNC_TEST_HOSTS ?? '')
    .split(',')
    .filter(Boolean)
    .map((entry) => entry.split('=')),
);
const original = dns.lookup;
dns.lookup = function lookup(hostname, options, callback) {
  const address = hosts.get(hostname);
  if (address === undefined) return original.call(this, hostname, options, callback);
  const cb = typeof options === 'function' ? options : callback;
  const all = typeof options === 'object' && options !== null && options.all;
  process.nextTick(() => (all ? cb(null, [{ address, family: 4 }]) : cb(null, address, 4)));
  return {};
};
