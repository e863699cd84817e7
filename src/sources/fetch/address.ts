import { lookup as dnsLookup } from 'node:dns';
import ipaddr from 'ipaddr.js';
import type { LookupFunction } from './types.js';

type IP = ipaddr.IPv4 | ipaddr.IPv6;

/** IPv4 from four bytes (used for addresses embedded in IPv6 forms). */
function v4FromWords(high: number, low: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

function isPublicV4(ip: ipaddr.IPv4): boolean {
  // Only plain unicast: private, loopback, link-local (cloud metadata), CGNAT, 0/8,
  // multicast, broadcast and reserved/test ranges are all other range names.
  return ip.range() === 'unicast';
}

function isPublicV6(ip: ipaddr.IPv6): boolean {
  const p = ip.parts;
  const range = ip.range();
  // Forms that embed an IPv4 address are judged by that address, so ::ffff:7f00:1,
  // 2002:7f00:1:: and 64:ff9b::7f00:1 cannot smuggle loopback past the check.
  if (range === 'ipv4Mapped' || range === 'rfc6145') return isPublicV4(ip.toIPv4Address());
  if (range === '6to4') return isPublicV4(v4FromWords(p[1] ?? 0, p[2] ?? 0));
  if (range === 'rfc6052') {
    // 64:ff9b::/96 is the well-known NAT64 prefix; 64:ff9b:1::/48 is local-use only.
    if (p[2] !== 0) return false;
    return isPublicV4(v4FromWords(p[6] ?? 0, p[7] ?? 0));
  }
  if (range !== 'unicast') return false;
  // Deprecated IPv4-compatible ::a.b.c.d and anything outside 2000::/3 (the only
  // global unicast block allocated) are not places a public feed lives.
  return ((p[0] ?? 0) & 0xe000) === 0x2000;
}

/**
 * True when `ip` is a public unicast address a feed may live on. False for loopback,
 * private, link-local, CGNAT, unspecified, multicast, reserved ranges, IPv6 forms
 * embedding such an IPv4 address, and anything that is not a valid IP.
 */
export function isPublicAddress(ip: string): boolean {
  const bare = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  if (!ipaddr.isValid(bare)) return false;
  let parsed: IP;
  try {
    parsed = ipaddr.parse(bare);
  } catch {
    return false;
  }
  return parsed.kind() === 'ipv4' ? isPublicV4(parsed as ipaddr.IPv4) : isPublicV6(parsed as ipaddr.IPv6);
}

/** Which addresses may be contacted. */
export interface AddressPolicy {
  allowPrivateNetworks: boolean;
  allowAddresses?: readonly string[] | undefined;
}

/** Parses `allowAddresses`; bad entries throw so a typo is not silently ignored. */
function parseAllowList(entries: readonly string[]): Array<[IP, number]> {
  return entries.map((entry) => {
    if (entry.includes('/')) return ipaddr.parseCIDR(entry);
    const ip = ipaddr.parse(entry);
    return [ip, ip.kind() === 'ipv4' ? 32 : 128];
  });
}

/**
 * Link-local addresses (169.254.0.0/16, fe80::/10) hold cloud metadata services
 * (169.254.169.254 answers with instance credentials). No feed lives there, so they stay
 * refused even with `allowPrivateNetworks` — only an explicit `allowAddresses` entry opens one.
 */
export function isLinkLocalAddress(ip: string): boolean {
  const bare = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  if (!ipaddr.isValid(bare)) return false;
  return ipaddr.process(bare).range() === 'linkLocal';
}

/** Whether the policy lets us connect to `ip`. */
export function isAddressAllowed(ip: string, policy: AddressPolicy): boolean {
  if (isPublicAddress(ip) || (policy.allowPrivateNetworks && !isLinkLocalAddress(ip))) return true;
  if (!policy.allowAddresses || policy.allowAddresses.length === 0 || !ipaddr.isValid(ip)) return false;
  const addr = ipaddr.process(ip); // ::ffff:a.b.c.d is compared as a.b.c.d
  return parseAllowList(policy.allowAddresses).some(([range, bits]) => range.kind() === addr.kind() && addr.match(range, bits));
}

/** A refused destination: what the operator asked for and what it turned out to be. */
export interface BlockedAddress {
  host: string;
  address: string;
}

/** Raised inside the connect-time lookup; fetchUrl turns it into a `blocked` result. */
export class BlockedAddressError extends Error {
  override readonly name = 'BlockedAddressError';
  readonly code = 'ERR_REFWATCH_BLOCKED_ADDRESS';
  constructor(readonly blocked: BlockedAddress) {
    super(`${blocked.host} resolves to ${blocked.address}, a non-public address`);
  }
}

/** Hostnames that always mean "this machine" (RFC 6761), whatever DNS says. */
function isLocalhostName(host: string): boolean {
  const name = host.toLowerCase().replace(/\.+$/, '');
  return name === 'localhost' || name.endsWith('.localhost') || name === '';
}

/**
 * Checks a URL's host before connecting: names that mean "this machine" and IP
 * literals (net.connect skips DNS for those, so the lookup guard never sees them).
 * WHATWG URL parsing already turned numeric hosts like `2130706433` into `127.0.0.1`.
 * Returns the refused destination, or undefined when DNS must decide (at connect time).
 */
export function checkHost(url: URL, policy: AddressPolicy): BlockedAddress | undefined {
  const host = url.hostname;
  const bare = host.startsWith('[') ? host.slice(1, -1) : host;
  if (policy.allowPrivateNetworks) {
    return ipaddr.isValid(bare) && !isAddressAllowed(bare, policy) ? { host, address: bare } : undefined;
  }
  if (isLocalhostName(bare)) return { host, address: 'loopback (localhost)' };
  if (ipaddr.isValid(bare) && !isAddressAllowed(bare, policy)) return { host, address: bare };
  return undefined;
}

/** `dns.lookup` typed as the `lookup` option of net.connect. */
export const systemLookup: LookupFunction = dnsLookup as unknown as LookupFunction;

/**
 * Wraps a lookup so every resolved address is checked at connect time: the address
 * checked is the address dialled, so DNS rebinding cannot slip in between. One
 * non-public answer refuses the whole name (a mixed answer is a rebinding tell) with a
 * {@link BlockedAddressError}; `onBlocked` is an optional extra report of it.
 */
export function guardedLookup(
  base: LookupFunction,
  policy: AddressPolicy,
  onBlocked: (blocked: BlockedAddress) => void = () => {},
): LookupFunction {
  return (hostname, options, callback) => {
    base(hostname, options, (err, address, family) => {
      if (err) {
        callback(err, address, family);
        return;
      }
      const list = Array.isArray(address) ? address.map((a) => a.address) : [address];
      const bad = list.find((a) => !isAddressAllowed(a, policy));
      if (bad !== undefined) {
        const blocked = { host: hostname, address: bad };
        onBlocked(blocked);
        callback(new BlockedAddressError(blocked), address, family);
        return;
      }
      callback(null, address, family);
    });
  };
}

/**
 * Resolves a URL's host once and reports whether it would be refused. For early
 * feedback (e.g. a moderator adding a source); fetchUrl still re-checks at connect
 * time, because DNS may answer differently by then. Rejects (throws) on an invalid URL
 * or a failed DNS lookup: this is a pre-check, so the caller decides what to tell.
 */
export async function checkUrlAddress(
  url: string,
  policy: AddressPolicy & { lookup?: LookupFunction | undefined },
): Promise<BlockedAddress | undefined> {
  const parsed = new URL(url);
  const literal = checkHost(parsed, policy);
  if (literal || policy.allowPrivateNetworks) return literal;
  const bare = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
  if (ipaddr.isValid(bare)) return undefined;
  const lookup = policy.lookup ?? systemLookup;
  const addresses = await new Promise<string[]>((resolve, reject) => {
    lookup(bare, { all: true }, (err, address) => {
      if (err) reject(err);
      else resolve(Array.isArray(address) ? address.map((a) => a.address) : [address]);
    });
  });
  const bad = addresses.find((a) => !isAddressAllowed(a, policy));
  return bad === undefined ? undefined : { host: bare, address: bad };
}
