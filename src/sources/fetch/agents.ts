import { Agent } from 'undici';
import { guardedLookup, type AddressPolicy } from './address.js';
import type { LookupFunction } from './types.js';

/**
 * Idle keep-alive sockets close after this, whatever the server's `Keep-Alive` hint:
 * long enough for a redirect hop, robots.txt then the feed, or a burst of polls to one
 * host; short enough that idle polls hold no sockets between cycles.
 */
export const KEEP_ALIVE_MS = 4_000;
/** Sockets per origin and policy; per-host leases (`fetch.perHostConcurrency`) stay lower. */
export const CONNECTIONS_PER_ORIGIN = 8;
/**
 * A connect attempt gives up after this. fetchUrl's own budget (`timeoutMs`) still ends
 * the call on time: a connect outliving it only finishes in the background.
 */
export const CONNECT_TIMEOUT_MS = 10_000;

/** Agents by lookup function (weak: a test's fake DNS takes its agents with it), then policy. */
let pools = new WeakMap<LookupFunction, Map<string, Agent>>();
/** Every agent handed out and not yet closed, for {@link closeFetchAgents}. */
const live = new Set<WeakRef<Agent>>();

/** Stable key for a policy: the same allowances share sockets, different ones never do. */
export function policyKey(policy: AddressPolicy): string {
  const allowed = [...(policy.allowAddresses ?? [])].map((a) => a.trim().toLowerCase()).sort();
  return `${policy.allowPrivateNetworks ? 'private' : 'public'}|${allowed.join(',')}`;
}

/**
 * The shared keep-alive agent for a fetch policy and DNS function. Its connect-time
 * lookup is guarded, so every new connection re-checks the address it dials (DNS
 * rebinding stays refused) and reports a refusal as a `BlockedAddressError`. Keyed by
 * policy because a socket opened under a looser policy must never serve a stricter one.
 */
export function fetchAgent(policy: AddressPolicy, lookup: LookupFunction): Agent {
  let byPolicy = pools.get(lookup);
  if (byPolicy === undefined) {
    byPolicy = new Map();
    pools.set(lookup, byPolicy);
  }
  const key = policyKey(policy);
  const existing = byPolicy.get(key);
  if (existing !== undefined && !existing.closed && !existing.destroyed) return existing;

  const agent = new Agent({
    // A copy: the caller's policy object may change after this call.
    connect: {
      lookup: guardedLookup(lookup, {
        allowPrivateNetworks: policy.allowPrivateNetworks,
        allowAddresses: policy.allowAddresses ? [...policy.allowAddresses] : undefined,
      }),
      timeout: CONNECT_TIMEOUT_MS,
    },
    keepAliveTimeout: KEEP_ALIVE_MS,
    keepAliveMaxTimeout: KEEP_ALIVE_MS,
    connections: CONNECTIONS_PER_ORIGIN,
  });
  byPolicy.set(key, agent);
  for (const ref of live) if (ref.deref() === undefined) live.delete(ref);
  live.add(new WeakRef(agent));
  return agent;
}

/** How many fetch agents are open (tests, diagnostics). */
export function openFetchAgentCount(): number {
  let count = 0;
  for (const ref of live) {
    const agent = ref.deref();
    if (agent !== undefined && !agent.closed && !agent.destroyed) count++;
  }
  return count;
}

/**
 * Closes every shared fetch agent: waits up to `graceMs` (default 1 000) for requests in
 * flight, then destroys what is left so shutdown never hangs on a stalled server. Call it
 * after the poll/analyze workers have stopped. A later fetchUrl opens fresh agents.
 */
export async function closeFetchAgents(options: { graceMs?: number } = {}): Promise<void> {
  const graceMs = options.graceMs ?? 1_000;
  const agents = [...live].map((ref) => ref.deref()).filter((a): a is Agent => a !== undefined);
  live.clear();
  pools = new WeakMap();
  await Promise.all(agents.map((agent) => closeAgent(agent, graceMs)));
}

async function closeAgent(agent: Agent, graceMs: number): Promise<void> {
  if (agent.destroyed) return;
  let timer: NodeJS.Timeout | undefined;
  const closed = agent.close().then(
    () => true,
    () => true,
  );
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), graceMs)));
  const inTime = await Promise.race([closed, late]);
  clearTimeout(timer);
  if (!inTime) await agent.destroy().catch(() => {});
}
