/**
 * Plain data types shared by every stage of the pipeline.
 * This folder imports nothing: it is the vocabulary, not the behaviour.
 */

/** What the rules decided for an item. */
export type Decision = 'alert' | 'review' | 'ignore';

/** How urgent an alert is. Ordered: low < medium < high < critical. */
export type Severity = 'low' | 'medium' | 'high' | 'critical';

export const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high', 'critical'];

export type SourceType = 'rss' | 'html';

/** CSS selectors for an HTML listing page; `sel@attr` reads an attribute. */
export interface HtmlSelectors {
  item: string;
  title: string;
  link: string;
  date?: string;
  summary?: string;
}

/** One watched feed or page, as configured (file, defaults or chat). */
export interface Source {
  id: string;
  type: SourceType;
  url: string;
  /** Poll interval in milliseconds. */
  everyMs: number;
  name?: string;
  lang?: string;
  /** IANA zone for dates written without an offset (e.g. "Asia/Seoul" for Yonhap). */
  timezone?: string;
  /** Post items found on the first poll instead of recording them as a baseline. */
  backfill?: boolean;
  /** Fetch the article page when the feed text is short. */
  fetchArticle?: boolean;
  select?: HtmlSelectors;
  tags?: string[];
  enabled?: boolean;
  /** Where the source came from: the config file (read-only from chat) or added in chat. */
  origin?: 'config' | 'chat';
}

/** An item as parsed and normalised from a feed or page. */
export interface Item {
  sourceId: string;
  /** Stable within the source: GUID, else canonical URL, else a hash of title and date. */
  id: string;
  title: string;
  /** Plain text (HTML stripped, entities decoded). */
  summary: string;
  /** Full article text when it was fetched; else absent. */
  text?: string;
  /** The link as published. */
  url?: string;
  /** Tracking parameters dropped, aggregator redirects unwrapped. */
  canonicalUrl?: string;
  /** ISO 8601 (UTC); absent when the feed gives no usable date (never invented). */
  published?: string;
  lang?: string;
  author?: string;
  /** Outlet name when the feed carries one (Google News `<source>`, Bing `News:Source`). */
  publisher?: string;
}

/** One rule term that matched. */
export interface Match {
  /** Rule id, e.g. "nk-forced-repatriation/core-en". */
  rule: string;
  /** The term as written in the pack. */
  term: string;
  field: 'title' | 'text';
  /** Text around the hit, for humans. */
  snippet: string;
  weight: number;
}

/** Score contributed by one rule, and why. */
export interface RuleScore {
  rule: string;
  pack: string;
  score: number;
  /** Short human explanation, e.g. "title: forcibly repatriated (+4)". */
  why: string[];
  tags?: string[];
}

export interface PeopleCount {
  /** Best numeric reading; vague words map to a floor ("hundreds" → 200). */
  count: number;
  /** The words in the text, e.g. "about 600", "수백 명". */
  text: string;
}

export interface Entities {
  people: PeopleCount[];
  /** Canonical gazetteer names, e.g. "Dandong". */
  places: string[];
}

/** The output of the rules for one item: the contract of `refwatch classify`. */
export interface Classification {
  decision: Decision;
  score: number;
  severity: Severity;
  rules: RuleScore[];
  matches: Match[];
  entities: Entities;
}

/** The text the rules look at. */
export interface ClassifyInput {
  title: string;
  text: string;
  lang?: string;
}

/** A story: the same event reported by one or more items (possibly from several outlets). */
export interface Story {
  id: string;
  firstItem: { sourceId: string; itemId: string };
  title: string;
  url?: string;
  /** Publishers / source ids that carried it, first one first. */
  reporters: string[];
  decision: Decision;
  severity: Severity;
  createdAt: string;
  updatedAt: string;
}

/** What gets posted: one per story, edited as the story grows. */
export interface Alert {
  /** Stable id (also used to derive Discord nonces and Slack metadata). */
  id: string;
  storyId: string;
  decision: Decision;
  severity: Severity;
  score: number;
  title: string;
  url?: string;
  sourceId: string;
  sourceName: string;
  published?: string;
  discoveredAt: string;
  matches: Match[];
  rules: RuleScore[];
  entities: Entities;
  /** "Also reported by" — other outlets carrying the same story. */
  alsoReportedBy: string[];
  /** Triage state shown on the message (issue 4). */
  triage?: TriageState;
}

export type TriageStatus = 'open' | 'confirmed' | 'dismissed' | 'escalated' | 'claimed';

export interface TriageState {
  status: TriageStatus;
  by?: string;
  at?: string;
  reason?: string;
  claimedBy?: string;
}

/** A delivery target, written in config as "discord:<channelId>", "slack:<channel>", "console". */
export type Target = { platform: 'discord'; channel: string } | { platform: 'slack'; channel: string } | { platform: 'console' };
