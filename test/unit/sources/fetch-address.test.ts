import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import {
  checkHost,
  checkUrlAddress,
  guardedLookup,
  isAddressAllowed,
  isPublicAddress,
  type BlockedAddress,
} from '../../../src/sources/fetch/address.js';
import type { LookupFunction } from '../../../src/sources/fetch/types.js';

const NON_PUBLIC = [
  '127.0.0.1',
  '127.255.255.254',
  '10.0.0.5',
  '172.16.0.1',
  '172.31.255.255',
  '192.168.1.1',
  '169.254.169.254',
  '100.64.0.1',
  '100.127.255.255',
  '0.0.0.0',
  '0.1.2.3',
  '224.0.0.1',
  '239.255.255.250',
  '255.255.255.255',
  '240.0.0.1',
  '192.0.2.10',
  '198.18.0.1',
  '::1',
  '::',
  'fe80::1',
  'fe80::1%eth0',
  'fc00::1',
  'fd12:3456::1',
  'ff02::1',
  '::ffff:7f00:1',
  '::ffff:127.0.0.1',
  '::ffff:10.0.0.1',
  '::ffff:169.254.169.254',
  '2002:7f00:1::',
  '2002:a00:1::1',
  '64:ff9b::7f00:1',
  '64:ff9b::a00:5',
  '64:ff9b:1::1',
  '::7f00:1',
  '2001:db8::1',
  'not-an-ip',
  '',
  '[::1]',
];

const PUBLIC = [
  '93.184.216.34',
  '8.8.8.8',
  '1.1.1.1',
  '172.32.0.1',
  '100.128.0.1',
  '2606:4700::1111',
  '2a00:1450:4001:82b::200e',
  '::ffff:93.184.216.34',
  '2002:5db8:d822::1',
  '64:ff9b::808:808',
];

describe('isPublicAddress', () => {
  it.each(NON_PUBLIC)('refuses %s', (ip) => {
    expect(isPublicAddress(ip)).toBe(false);
  });
  it.each(PUBLIC)('accepts %s', (ip) => {
    expect(isPublicAddress(ip)).toBe(true);
  });
});

describe('isAddressAllowed', () => {
  it('lets allowAddresses open one private host, not its neighbours', () => {
    const policy = { allowPrivateNetworks: false, allowAddresses: ['10.1.2.3', '192.168.50.0/24'] };
    expect(isAddressAllowed('10.1.2.3', policy)).toBe(true);
    expect(isAddressAllowed('::ffff:10.1.2.3', policy)).toBe(true);
    expect(isAddressAllowed('10.1.2.4', policy)).toBe(false);
    expect(isAddressAllowed('192.168.50.77', policy)).toBe(true);
    expect(isAddressAllowed('192.168.51.1', policy)).toBe(false);
  });
  it('allows everything with allowPrivateNetworks', () => {
    expect(isAddressAllowed('127.0.0.1', { allowPrivateNetworks: true })).toBe(true);
  });
});

describe('checkHost', () => {
  const strict = { allowPrivateNetworks: false };
  it.each([
    'http://localhost/feed',
    'http://localhost./feed',
    'http://LOCALHOST:8080/',
    'http://api.localhost/',
    'http://127.0.0.1/',
    'http://2130706433/',
    'http://0x7f.1/',
    'http://017700000001/',
    'http://[::1]/',
    'http://[::ffff:7f00:1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://169.254.169.254/latest/meta-data/',
    'http://0.0.0.0/',
    'http://[fe80::1]/',
    'http://[fc00::1]/',
    'http://[2002:7f00:1::]/',
    'http://[64:ff9b::7f00:1]/',
  ])('refuses %s before connecting', (url) => {
    expect(checkHost(new URL(url), strict)).toBeDefined();
  });
  it('leaves DNS names to the connect-time check and passes public literals', () => {
    expect(checkHost(new URL('https://feeds.example/rss'), strict)).toBeUndefined();
    expect(checkHost(new URL('http://93.184.216.34/'), strict)).toBeUndefined();
  });
  it('allows anything with allowPrivateNetworks', () => {
    expect(checkHost(new URL('http://localhost/'), { allowPrivateNetworks: true })).toBeUndefined();
  });
});

/** A fake dns.lookup answering from a table; counts calls. */
function fakeLookup(answers: (host: string, call: number) => string[]): LookupFunction & { calls: number } {
  const fn = ((hostname, options, callback) => {
    fn.calls++;
    const list = answers(hostname, fn.calls);
    const entries: LookupAddress[] = list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    if (entries.length === 0) {
      callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
    } else if (options.all) callback(null, entries);
    else callback(null, entries[0]!.address, entries[0]!.family);
  }) as LookupFunction & { calls: number };
  fn.calls = 0;
  return fn;
}

function runLookup(lookup: LookupFunction, host: string, all: boolean): Promise<{ err: Error | null; address: unknown }> {
  return new Promise((resolve) => lookup(host, { all }, (err, address) => resolve({ err, address })));
}

describe('guardedLookup', () => {
  it('passes public answers through in both single and all forms', async () => {
    const guarded = guardedLookup(
      fakeLookup(() => ['93.184.216.34']),
      { allowPrivateNetworks: false },
      () => {},
    );
    expect(await runLookup(guarded, 'feeds.example', false)).toEqual({ err: null, address: '93.184.216.34' });
    expect((await runLookup(guarded, 'feeds.example', true)).address).toEqual([{ address: '93.184.216.34', family: 4 }]);
  });

  it.each(['127.0.0.1', '10.0.0.5', '169.254.169.254', '::1', '::ffff:7f00:1', '64:ff9b::7f00:1'])(
    'fails the lookup when a name resolves to %s and reports it',
    async (ip) => {
      const seen: BlockedAddress[] = [];
      const guarded = guardedLookup(
        fakeLookup(() => [ip]),
        { allowPrivateNetworks: false },
        (b) => seen.push(b),
      );
      const { err } = await runLookup(guarded, 'evil.example', true);
      expect(err?.name).toBe('BlockedAddressError');
      expect(seen).toEqual([{ host: 'evil.example', address: ip }]);
    },
  );

  it('refuses a mixed answer (one public, one private)', async () => {
    const guarded = guardedLookup(
      fakeLookup(() => ['93.184.216.34', '127.0.0.1']),
      { allowPrivateNetworks: false },
      () => {},
    );
    expect((await runLookup(guarded, 'mixed.example', true)).err).not.toBeNull();
  });

  it('passes DNS errors through unchanged', async () => {
    const guarded = guardedLookup(
      fakeLookup(() => []),
      { allowPrivateNetworks: false },
      () => {},
    );
    expect((await runLookup(guarded, 'nx.example', false)).err?.message).toContain('ENOTFOUND');
  });
});

describe('checkUrlAddress', () => {
  it('reports a private resolution and passes a public one', async () => {
    const lookup = fakeLookup((host) => (host === 'intranet.example' ? ['10.0.0.5'] : ['93.184.216.34']));
    expect(await checkUrlAddress('https://intranet.example/rss', { allowPrivateNetworks: false, lookup })).toEqual({
      host: 'intranet.example',
      address: '10.0.0.5',
    });
    expect(await checkUrlAddress('https://news.example/rss', { allowPrivateNetworks: false, lookup })).toBeUndefined();
    expect(await checkUrlAddress('http://2130706433/', { allowPrivateNetworks: false, lookup })).toBeDefined();
  });
});

describe('link-local (cloud metadata) addresses', () => {
  const intranet = { allowPrivateNetworks: true };
  it('stay refused with allowPrivateNetworks, for literals and for what DNS answers', () => {
    expect(isAddressAllowed('169.254.169.254', intranet)).toBe(false);
    expect(isAddressAllowed('::ffff:169.254.169.254', intranet)).toBe(false);
    expect(isAddressAllowed('fe80::1', intranet)).toBe(false);
    expect(checkHost(new URL('http://169.254.169.254/latest/meta-data/'), intranet)).toEqual({
      host: '169.254.169.254',
      address: '169.254.169.254',
    });
    // The rest of the private ranges open as before.
    expect(isAddressAllowed('127.0.0.1', intranet)).toBe(true);
    expect(isAddressAllowed('10.0.0.5', intranet)).toBe(true);
    expect(checkHost(new URL('http://127.0.0.1:8080/feed.xml'), intranet)).toBeUndefined();
  });

  it('open only when listed exactly in allowAddresses', () => {
    expect(isAddressAllowed('169.254.10.20', { allowPrivateNetworks: true, allowAddresses: ['169.254.10.20'] })).toBe(true);
    expect(isAddressAllowed('169.254.169.254', { allowPrivateNetworks: true, allowAddresses: ['169.254.10.20'] })).toBe(false);
  });
});
