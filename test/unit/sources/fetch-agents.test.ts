// The shared fetch agents (keyed by policy and DNS function) and how a refused connect is
// recognised in whatever error undici hands back. Pure: agents are created, never dialled.
import { afterEach, describe, expect, it } from 'vitest';
import { BlockedAddressError, systemLookup } from '../../../src/sources/fetch/address.js';
import { closeFetchAgents, fetchAgent, openFetchAgentCount, policyKey } from '../../../src/sources/fetch/agents.js';
import { findBlockedAddress } from '../../../src/sources/fetch/errors.js';
import type { LookupFunction } from '../../../src/sources/fetch/types.js';

const otherLookup: LookupFunction = (hostname, options, callback) => systemLookup(hostname, options, callback);

afterEach(async () => {
  await closeFetchAgents({ graceMs: 10 });
});

describe('policyKey', () => {
  it('ignores the order and case of allowAddresses', () => {
    expect(policyKey({ allowPrivateNetworks: false, allowAddresses: ['10.0.0.1', 'FD00::1'] })).toBe(
      policyKey({ allowPrivateNetworks: false, allowAddresses: ['fd00::1', '10.0.0.1'] }),
    );
    expect(policyKey({ allowPrivateNetworks: false })).toBe(policyKey({ allowPrivateNetworks: false, allowAddresses: [] }));
  });

  it('tells policies apart', () => {
    const keys = new Set([
      policyKey({ allowPrivateNetworks: false }),
      policyKey({ allowPrivateNetworks: true }),
      policyKey({ allowPrivateNetworks: false, allowAddresses: ['10.0.0.1'] }),
      policyKey({ allowPrivateNetworks: false, allowAddresses: ['10.0.0.1', '10.0.0.2'] }),
    ]);
    expect(keys.size).toBe(4);
  });
});

describe('fetchAgent', () => {
  it('hands out one agent per policy and lookup', () => {
    const a = fetchAgent({ allowPrivateNetworks: false }, systemLookup);
    expect(fetchAgent({ allowPrivateNetworks: false, allowAddresses: [] }, systemLookup)).toBe(a);
    expect(fetchAgent({ allowPrivateNetworks: true }, systemLookup)).not.toBe(a);
    expect(fetchAgent({ allowPrivateNetworks: false }, otherLookup)).not.toBe(a);
    expect(openFetchAgentCount()).toBe(3);
  });

  it('closeFetchAgents closes them all; later calls get fresh agents', async () => {
    const a = fetchAgent({ allowPrivateNetworks: false }, systemLookup);
    await closeFetchAgents();
    expect(a.closed || a.destroyed).toBe(true);
    expect(openFetchAgentCount()).toBe(0);
    const b = fetchAgent({ allowPrivateNetworks: false }, systemLookup);
    expect(b).not.toBe(a);
    expect(b.closed).toBe(false);
  });
});

describe('findBlockedAddress', () => {
  const blocked = { host: 'evil.example', address: '127.0.0.1' };

  it('finds the refusal as is, in a cause chain and inside an AggregateError', () => {
    const own = new BlockedAddressError(blocked);
    expect(findBlockedAddress(own)).toEqual(blocked);
    expect(findBlockedAddress(new Error('connect failed', { cause: new Error('wrapped', { cause: own }) }))).toEqual(blocked);
    expect(findBlockedAddress(new AggregateError([new Error('ECONNREFUSED'), own]))).toEqual(blocked);
  });

  it('returns undefined for other errors, non-errors and cycles', () => {
    const loop = new Error('a');
    (loop as { cause?: unknown }).cause = loop;
    expect(findBlockedAddress(loop)).toBeUndefined();
    expect(findBlockedAddress(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBeUndefined();
    expect(findBlockedAddress('blocked')).toBeUndefined();
    expect(findBlockedAddress(undefined)).toBeUndefined();
  });
});
