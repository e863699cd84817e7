export type { StoreOptions } from './keys.js';
export { storeKeys } from './keys.js';
export { createFetchStateStore } from './fetch-state.js';
export type { FetchState, FetchStateStore } from './fetch-state.js';
export { createSeenStore } from './seen.js';
export type { SeenStore } from './seen.js';
export { AlertStoreError, createAlertStore } from './alerts.js';
export type { AlertStore, AlertStoreOptions } from './alerts.js';
export { createTargetStateStore } from './targets.js';
export type { DisabledTarget, TargetStateStore } from './targets.js';
export { createChatSourceStore } from './chat-sources.js';
export type { ChatSourceStore } from './chat-sources.js';
export {
  createMemoryAlertStore,
  createMemoryChatSourceStore,
  createMemoryFetchStateStore,
  createMemorySeenStore,
  createMemoryTargetStateStore,
} from './memory.js';
export { createHostSlots, createMemoryHostSlots } from './host-slots.js';
export type { HostSlots } from './host-slots.js';
