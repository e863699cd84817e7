/** Key names under REFWATCH_PREFIX (docs/architecture.md, "Redis keys"). One place, so adapters agree. */
export function storeKeys(prefix: string) {
  return {
    sourceState: (id: string) => `${prefix}:source:${id}:state`,
    sourceStatePattern: () => `${escapeGlob(prefix)}:source:*:state`,
    seen: (id: string) => `${prefix}:source:${id}:seen`,
    claimed: (id: string) => `${prefix}:source:${id}:claimed`,
    chatSources: () => `${prefix}:sources:chat`,
    alert: (id: string) => `${prefix}:alert:${id}`,
    alertPosted: (id: string) => `${prefix}:alert:${id}:posted`,
    alertPending: (id: string) => `${prefix}:alert:${id}:pending`,
    /** zset alert id → discoveredAt ms, for listRecent/listSince. */
    alertIndex: () => `${prefix}:alerts:by-time`,
    targetsDisabled: () => `${prefix}:target:disabled`,
  };
}

/** The prefix may hold glob characters; SCAN MATCH must treat them literally. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/gu, (c) => `\\${c}`);
}

/** Options every store factory takes. */
export interface StoreOptions {
  /** REFWATCH_PREFIX. */
  prefix: string;
}
