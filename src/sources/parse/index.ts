// Public surface of feed/page parsing and item normalisation (docs/architecture.md, "sources").
export { parseFeed, MAX_PARSE_CHARS } from './feed.js';
export type { ParseOptions, ParseResult } from './types.js';
export { canonicalizeUrl } from './url.js';
export { parseFeedDate } from './date.js';
export { blockSeparatedText, toPlainText } from './text.js';
export type { HtmlNode } from './text.js';
export { MAX_ITEMS, MAX_SUMMARY_CHARS, FUTURE_TOLERANCE_MS } from './normalize.js';
export { MAX_HTML_ITEMS } from './html.js';
