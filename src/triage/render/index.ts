/** Pure rendering of moderator command replies for Discord (markdown) and Slack (mrkdwn), paginated. */
export { MAX_PAGES, PAGE_LIMITS, markupFor, paginate } from './pages.js';
export type { ChatPlatform, Markup } from './pages.js';
export { renderChange, renderCheck, renderMute, renderSourceAdd, renderSources, renderStats, renderStatus } from './render.js';
