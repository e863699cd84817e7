import { load } from 'cheerio';
import type { CheerioAPI } from 'cheerio';
import type { HtmlSelectors } from '../../domain/index.js';
import type { RawFeed, RawResult } from './rss.js';
import { collapseWhitespace } from './text.js';

/** Listing pages past this many matches are cut: a selector matching every `div` is a config bug. */
export const MAX_HTML_ITEMS = 500;

type Selection = ReturnType<CheerioAPI>;

/** Splits `a@href` into selector `a` and attribute `href`; `@href` reads the item element itself. */
function splitSelector(spec: string): { selector: string; attr?: string } {
  const at = spec.lastIndexOf('@');
  // An "@" inside brackets belongs to an attribute selector value, not to our suffix.
  if (at < 0 || spec.indexOf(']', at) >= 0) return { selector: spec.trim() };
  return { selector: spec.slice(0, at).trim(), attr: spec.slice(at + 1).trim() };
}

/** Reads one field from within an item: text of the first match, or its attribute. */
function readField($: CheerioAPI, item: Selection, spec: string | undefined): string | undefined {
  if (spec === undefined || spec.trim() === '') return undefined;
  const { selector, attr } = splitSelector(spec);
  const target = selector === '' ? item : item.find(selector).first();
  if (target.length === 0) return undefined;
  const value = attr !== undefined ? target.attr(attr) : $(target).text();
  if (value === undefined) return undefined;
  const text = collapseWhitespace(value);
  return text === '' ? undefined : text;
}

/** Checks every selector once so a typo is reported by name instead of as a cheerio stack. */
function checkSelectors($: CheerioAPI, select: HtmlSelectors): string | undefined {
  for (const [name, spec] of Object.entries(select) as [string, string | undefined][]) {
    if (spec === undefined) continue;
    const { selector } = splitSelector(spec);
    if (selector === '') {
      if (name === 'item') return 'HTML selector "item" is empty';
      continue;
    }
    try {
      $(selector);
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      return `HTML selector "${name}" (${spec}) is not valid CSS: ${reason ?? 'parse error'}`;
    }
  }
  return undefined;
}

/**
 * Reads items off an HTML listing page with the source's CSS selectors. Links stay as written
 * (normalisation resolves them against the page URL). No match at all is an error: it almost
 * always means the page layout changed and the selectors need updating.
 */
export function parseHtmlListing(html: string, select: HtmlSelectors): RawResult {
  let $: CheerioAPI;
  try {
    $ = load(html);
  } catch (error) {
    return { kind: 'error', message: `HTML could not be parsed: ${error instanceof Error ? error.message : String(error)}` };
  }
  const invalid = checkSelectors($, select);
  if (invalid !== undefined) return { kind: 'error', message: invalid };
  const nodes = $(select.item);
  if (nodes.length === 0) {
    return {
      kind: 'error',
      message: `HTML selector "item" (${select.item}) matched nothing on the page; the layout may have changed, update the source's select`,
    };
  }
  const feed: RawFeed = { items: [] };
  const title = collapseWhitespace($('title').first().text());
  if (title !== '') feed.title = title;
  const lang = $('html').attr('lang')?.trim();
  if (lang) feed.lang = lang;
  if (nodes.length > MAX_HTML_ITEMS) {
    feed.warnings = [`HTML selector "item" matched ${nodes.length} elements; only the first ${MAX_HTML_ITEMS} were read`];
  }
  nodes.slice(0, MAX_HTML_ITEMS).each((_, element) => {
    const item = $(element);
    const date = readField($, item, select.date);
    const raw: RawFeed['items'][number] = { dates: date === undefined ? [] : [date] };
    const itemTitle = readField($, item, select.title);
    const link = readField($, item, select.link);
    const summary = readField($, item, select.summary);
    if (itemTitle !== undefined) raw.title = itemTitle;
    if (link !== undefined) raw.link = link;
    if (summary !== undefined) raw.summary = summary;
    feed.items.push(raw);
  });
  return { kind: 'ok', feed };
}
