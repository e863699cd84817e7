export { DEMO_FEEDS, renderDemoFeed } from './sample-feeds.js';
export type { DemoFeed, DemoItem } from './sample-feeds.js';
export { startDemoServer } from './server.js';
export type { DemoServer } from './server.js';
