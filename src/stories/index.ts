export { BODY_CHARS, SIMHASH_MAX_DISTANCE, isSameStory, storyKeys, titleKeyOf, urlKeyOf } from './keys.js';
export type { StoryKeys, StoryMatch } from './keys.js';
export { BANDS, hammingDistance, simhash, simhashBands, simhashHex } from './simhash.js';
export { stripPublisherSuffix, stripWireTags } from './text.js';
export { StoryStoreError, createStoryStore, storyFromHash, storyIdFor } from './store.js';
export type { AttachResult, MatchedBy, StoryStore, StoryStoreOptions } from './store.js';
export { createMemoryStoryStore } from './memory.js';
