import type { Alert, Classification, Decision, Item, Severity, Source, Story } from '../domain/index.js';
import type { Route } from '../config/types.js';
import { normalizeText } from '../rules/index.js';
import type { AlertPort, ClassifierPort, NotifyJob, PipelineEvents, SourceLookup, StoryPort } from './ports.js';
import { maxDecision, maxSeverity, routeAlert } from './routing.js';

export interface AnalyzeDeps {
  sources: SourceLookup;
  classifier: ClassifierPort;
  stories: StoryPort;
  alerts: AlertPort;
  routes: readonly Route[];
  enqueueNotify(jobs: NotifyJob[]): Promise<void>;
  /** Fetches the article's main text when the feed's text is short; undefined when it can't. */
  fetchArticleText?(item: Item, source: Source): Promise<string | undefined>;
  /** Feed text shorter than this triggers an article fetch (for sources with `fetchArticle`). */
  articleMinChars: number;
  /** Terms moderators muted for a while (`/refwatch mute`): items containing one are ignored. */
  mutedTerms?(): Promise<string[]>;
  events?: PipelineEvents;
  now?: () => Date;
}

export type AnalyzeOutcome =
  | { kind: 'ignored'; classification: Classification; mutedBy?: string }
  | { kind: 'new-story'; alert: Alert; jobs: NotifyJob[] }
  | { kind: 'joined-story'; alert: Alert; jobs: NotifyJob[]; changed: boolean };

/** The alert id of a story: one alert per story, edited as the story grows. */
export function alertIdForStory(storyId: string): string {
  return `al_${storyId}`;
}

/**
 * Classifies one new item; if it is not ignored, attaches it to a story (the same story
 * from several outlets is one story) and schedules posts for a new alert, or edits
 * ("also reported by …") for an existing one. Safe to run twice for the same item.
 */
export async function analyzeItem(deps: AnalyzeDeps, job: { item: Item; discoveredAt: string }): Promise<AnalyzeOutcome> {
  const now = deps.now ?? (() => new Date());
  const source = await deps.sources.get(job.item.sourceId);
  const item = await withArticleText(deps, job.item, source);
  const classification = deps.classifier.classify({
    title: item.title,
    text: [item.summary, item.text].filter(Boolean).join('\n\n'),
    ...(item.lang ? { lang: item.lang } : {}),
  });
  if (classification.decision === 'ignore') {
    deps.events?.decided?.('ignore');
    return { kind: 'ignored', classification };
  }
  const mutedBy = await findMutedTerm(deps, item);
  if (mutedBy) {
    deps.events?.decided?.('muted');
    return { kind: 'ignored', classification, mutedBy };
  }
  deps.events?.decided?.(classification.decision);

  const { story } = await deps.stories.attach(item, classification, now());
  const alertId = alertIdForStory(story.id);
  const sourceName = source?.name ?? item.sourceId;
  const tags = source?.tags ?? [];

  // Compare-and-set, not a blind save: a moderator's triage or another worker's merge stored
  // since our read must survive. `change` may run again after a lost race, so it only records.
  const seen: { before: Alert | undefined } = { before: undefined };
  const alert = await deps.alerts.update(alertId, (current) => {
    seen.before = current;
    return current
      ? mergeIntoAlert(current, story, item, classification, sourceName)
      : buildAlert(alertId, story, item, classification, sourceName, job.discoveredAt);
  });

  if (!seen.before) {
    const jobs = await jobsFor(deps, alert, tags, 'new');
    await deps.enqueueNotify(jobs);
    return { kind: 'new-story', alert, jobs };
  }
  const changed = JSON.stringify(alert) !== JSON.stringify(seen.before);
  const jobs = await jobsFor(deps, alert, tags, changed ? 'changed' : 'unchanged');
  await deps.enqueueNotify(jobs);
  return { kind: 'joined-story', alert, jobs, changed };
}

async function findMutedTerm(deps: AnalyzeDeps, item: Item): Promise<string | undefined> {
  const terms = (await deps.mutedTerms?.()) ?? [];
  if (terms.length === 0) return undefined;
  const text = normalizeText([item.title, item.summary, item.text].filter(Boolean).join(' '));
  return terms.find((term) => text.includes(normalizeText(term)));
}

async function withArticleText(deps: AnalyzeDeps, item: Item, source: Source | undefined): Promise<Item> {
  if (!source?.fetchArticle || !deps.fetchArticleText || !item.url) return item;
  if (item.text || item.summary.length >= deps.articleMinChars) return item;
  const text = await deps.fetchArticleText(item, source);
  return text ? { ...item, text } : item;
}

function buildAlert(id: string, story: Story, item: Item, classification: Classification, sourceName: string, discoveredAt: string): Alert {
  const alert: Alert = {
    id,
    storyId: story.id,
    decision: classification.decision,
    severity: classification.severity,
    score: classification.score,
    title: item.title,
    sourceId: item.sourceId,
    sourceName: item.publisher ?? sourceName,
    discoveredAt,
    matches: classification.matches,
    rules: classification.rules,
    entities: classification.entities,
    alsoReportedBy: [],
  };
  const url = item.canonicalUrl ?? item.url;
  if (url) alert.url = url;
  if (item.published) alert.published = item.published;
  return alert;
}

/** A later item of the same story: credit the outlet, raise severity/decision, merge entities. */
function mergeIntoAlert(alert: Alert, story: Story, item: Item, classification: Classification, sourceName: string): Alert {
  const reporter = item.publisher ?? sourceName;
  const alsoReportedBy =
    reporter === alert.sourceName || alert.alsoReportedBy.includes(reporter) ? alert.alsoReportedBy : [...alert.alsoReportedBy, reporter];
  const decision: Decision = maxDecision(alert.decision, classification.decision);
  const places = [...new Set([...alert.entities.places, ...classification.entities.places])];
  const people = alert.entities.people.length > 0 ? alert.entities.people : classification.entities.people;
  return {
    ...alert,
    decision,
    severity: maxSeverity(
      maxSeverity(maxSeverity(alert.severity, classification.severity), story.severity),
      spreadSeverity(1 + alsoReportedBy.length),
    ),
    score: Math.max(alert.score, classification.score),
    alsoReportedBy,
    entities: { people, places },
  };
}

/** Outlets carrying a story before it counts as widely reported (at least `high`). */
export const WIDELY_REPORTED_OUTLETS = 3;

/** A story many outlets pick up is more urgent for advocates: severity rises with its spread. */
function spreadSeverity(outlets: number): Severity {
  return outlets >= WIDELY_REPORTED_OUTLETS ? 'high' : 'low';
}

/**
 * Notify jobs for an alert: a post to every routed target; for an existing alert, an edit to
 * every target it is already posted on (when it changed) and a post to routed targets it is not
 * posted on — even when nothing changed, because a retried job may find the alert saved by an
 * attempt that died before queueing its posts (post job ids and posted-markers make the repeat
 * harmless). When a story's decision rises (review → alert), the alert routes are new targets
 * and get posts; the delivery stage turns a post into an edit when it was already posted there,
 * and an edit into a no-op when nothing was posted yet.
 */
async function jobsFor(
  deps: AnalyzeDeps,
  alert: Alert,
  tags: readonly string[],
  kind: 'new' | 'changed' | 'unchanged',
): Promise<NotifyJob[]> {
  const targets = routeAlert(deps.routes, alert, tags).map((routed) => routed.target);
  if (kind === 'new') return targets.map((target) => ({ alertId: alert.id, target, action: 'post' }));
  const posted = await deps.alerts.getPosted(alert.id);
  // Every message already out gets the update, even where the alert no longer routes
  // (a review post in the triage channel after the story became an alert): stale text there misleads.
  const edits = kind === 'changed' ? Object.keys(posted).map((target): NotifyJob => ({ alertId: alert.id, target, action: 'edit' })) : [];
  const posts = targets.filter((target) => !(target in posted)).map((target): NotifyJob => ({ alertId: alert.id, target, action: 'post' }));
  return [...edits, ...posts];
}
