import { describe, expect, it } from 'vitest';
import type { Item, Source } from '../../../src/domain/index.js';
import type { Route } from '../../../src/config/types.js';
import { analyzeItem, type AnalyzeDeps, type NotifyJob } from '../../../src/pipeline/index.js';
import { createMemoryAlertStore } from '../../../src/store/index.js';
import { createMemoryStoryStore } from '../../../src/stories/index.js';
import { keywordClassifier, makeItem, makeSource, sourceLookup } from './support.js';

const ROUTES: Route[] = [
  { when: { decision: 'alert' }, to: ['discord:100', 'slack:C-ALERTS'] },
  { when: { decision: 'review' }, to: ['discord:200'] },
];
const TITLE = 'China sends detained escapees back across the Yalu river';
const DISCOVERED = '2026-03-01T12:00:00.000Z';

function setup(options: { routes?: Route[]; sources?: Source[] } = {}) {
  const alerts = createMemoryAlertStore();
  const enqueued: NotifyJob[] = [];
  const deps: AnalyzeDeps = {
    sources: sourceLookup(options.sources ?? [makeSource('wire', { name: 'Wire' }), makeSource('paper', { name: 'Paper' })]),
    classifier: keywordClassifier(),
    stories: createMemoryStoryStore({ windowDays: 7 }),
    alerts,
    routes: options.routes ?? ROUTES,
    enqueueNotify: (jobs) => Promise.resolve(void enqueued.push(...jobs)),
    articleMinChars: 400,
    now: () => new Date(DISCOVERED),
  };
  const analyze = (item: Item) => analyzeItem(deps, { item, discoveredAt: DISCOVERED });
  return { deps, alerts, enqueued, analyze };
}

const job = (alertId: string, target: string, action: 'post' | 'edit'): NotifyJob => ({ alertId, target, action });

describe('analyzeItem', () => {
  it('ignores what the rules ignore: no story, no jobs', async () => {
    const t = setup();
    const outcome = await t.analyze(makeItem('wire', 'w1', 'Weather in Seoul is sunny'));
    expect(outcome.kind).toBe('ignored');
    expect(t.enqueued).toEqual([]);
  });

  it('turns a new story into an alert and a post job per routed target', async () => {
    const t = setup();
    const outcome = await t.analyze(makeItem('wire', 'w1', TITLE, { summary: 'ALERT summary', published: '2026-03-01T11:00:00.000Z' }));

    expect(outcome.kind).toBe('new-story');
    if (outcome.kind !== 'new-story') return;
    expect(outcome.alert).toMatchObject({
      decision: 'alert',
      severity: 'high',
      title: TITLE,
      sourceName: 'Wire',
      alsoReportedBy: [],
      published: '2026-03-01T11:00:00.000Z',
      discoveredAt: DISCOVERED,
    });
    expect(await t.alerts.get(outcome.alert.id)).toEqual(outcome.alert);
    expect(t.enqueued).toEqual([job(outcome.alert.id, 'discord:100', 'post'), job(outcome.alert.id, 'slack:C-ALERTS', 'post')]);
  });

  it('credits a second outlet ("also reported by") and schedules edits where posted, not reposts', async () => {
    const t = setup();
    const first = await t.analyze(makeItem('wire', 'w1', TITLE, { summary: 'ALERT summary' }));
    if (first.kind !== 'new-story') throw new Error(`expected a new story, got ${first.kind}`);
    await t.alerts.markPosted(first.alert.id, 'discord:100', 'msg-1');
    await t.alerts.markPosted(first.alert.id, 'slack:C-ALERTS', '1700000000.000100');
    t.enqueued.length = 0;

    const second = await t.analyze(
      makeItem('paper', 'p9', `(LEAD) ${TITLE}`, { summary: 'ALERT other words', url: 'https://paper.test/a/9' }),
    );

    expect(second).toMatchObject({ kind: 'joined-story', changed: true });
    expect(second.kind !== 'ignored' && second.alert.id).toBe(first.alert.id);
    expect((await t.alerts.get(first.alert.id))?.alsoReportedBy).toEqual(['Paper']);
    expect(t.enqueued).toEqual([job(first.alert.id, 'discord:100', 'edit'), job(first.alert.id, 'slack:C-ALERTS', 'edit')]);
  });

  it('raises severity as a story spreads: three outlets make it at least high', async () => {
    const sources = ['wire', 'paper', 'radio'].map((id) => makeSource(id, { name: id.toUpperCase() }));
    const t = setup({ sources });
    const first = await t.analyze(makeItem('wire', 'w1', TITLE, { summary: 'REVIEW summary' }));
    if (first.kind !== 'new-story') throw new Error(`expected a new story, got ${first.kind}`);
    expect(first.alert.severity).toBe('low');
    const second = await t.analyze(makeItem('paper', 'p1', `(LEAD) ${TITLE}`, { summary: 'REVIEW', url: 'https://paper.test/1' }));
    expect(second.kind !== 'ignored' && second.alert.severity).toBe('low');
    const third = await t.analyze(makeItem('radio', 'r1', `${TITLE} - RADIO`, { summary: 'REVIEW', url: 'https://radio.test/1' }));
    expect(third.kind !== 'ignored' && third.alert).toMatchObject({ severity: 'high', alsoReportedBy: ['PAPER', 'RADIO'] });
  });

  it('schedules nothing when the same item is analyzed again after it was posted', async () => {
    const t = setup();
    const item = makeItem('wire', 'w1', TITLE, { summary: 'ALERT summary' });
    const first = await t.analyze(item);
    if (first.kind !== 'new-story') throw new Error(`expected a new story, got ${first.kind}`);
    await t.alerts.markPosted(first.alert.id, 'discord:100', 'msg-1');
    await t.alerts.markPosted(first.alert.id, 'slack:C-ALERTS', '1700000000.000100');
    t.enqueued.length = 0;

    const again = await t.analyze(item);

    expect(again).toMatchObject({ kind: 'joined-story', changed: false, jobs: [] });
    expect(t.enqueued).toEqual([]);
  });

  it('re-queues the posts when a retry finds the alert saved but its posts never queued', async () => {
    const t = setup();
    const item = makeItem('wire', 'w1', TITLE, { summary: 'ALERT summary' });
    const enqueue = t.deps.enqueueNotify;
    // The first attempt dies after saving the alert (Redis blip, worker killed) before queueing.
    t.deps.enqueueNotify = () => Promise.reject(new Error('Connection is closed.'));
    await expect(t.analyze(item)).rejects.toThrow('Connection is closed.');
    t.deps.enqueueNotify = enqueue;

    const retry = await t.analyze(item);

    if (retry.kind === 'ignored') throw new Error('expected the alert');
    expect(t.enqueued).toEqual([job(retry.alert.id, 'discord:100', 'post'), job(retry.alert.id, 'slack:C-ALERTS', 'post')]);
  });

  it('promotes review to alert: posts for the alert routes, an edit for the review post', async () => {
    const t = setup();
    const first = await t.analyze(makeItem('wire', 'w1', TITLE, { summary: 'REVIEW only' }));
    if (first.kind !== 'new-story') throw new Error(`expected a new story, got ${first.kind}`);
    expect(t.enqueued).toEqual([job(first.alert.id, 'discord:200', 'post')]);
    await t.alerts.markPosted(first.alert.id, 'discord:200', 'msg-review');
    t.enqueued.length = 0;

    const second = await t.analyze(makeItem('paper', 'p1', TITLE, { summary: 'ALERT CRITICAL now' }));

    expect(second).toMatchObject({ kind: 'joined-story', changed: true, alert: { decision: 'alert', severity: 'critical' } });
    expect(t.enqueued).toEqual([
      job(first.alert.id, 'discord:200', 'edit'),
      job(first.alert.id, 'discord:100', 'post'),
      job(first.alert.id, 'slack:C-ALERTS', 'post'),
    ]);
  });

  it('never lowers a decision: an ignored-level update keeps the alert', async () => {
    const t = setup();
    const first = await t.analyze(makeItem('wire', 'w1', TITLE, { summary: 'ALERT summary' }));
    const second = await t.analyze(makeItem('paper', 'p1', TITLE, { summary: 'REVIEW only' }));
    expect(second.kind !== 'ignored' && second.alert.decision).toBe('alert');
    expect(first.kind).toBe('new-story');
  });

  it('sends alerts to the console when no route is configured', async () => {
    const t = setup({ routes: [] });
    const outcome = await t.analyze(makeItem('wire', 'w1', TITLE, { summary: 'REVIEW only' }));
    expect(outcome.kind === 'new-story' && outcome.jobs).toEqual([
      job(`al_${outcome.kind === 'new-story' ? outcome.alert.storyId : ''}`, 'console', 'post'),
    ]);
  });

  it('ignores an item containing a muted term', async () => {
    const t = setup();
    t.deps.mutedTerms = () => Promise.resolve(['yalu river']);
    const outcome = await t.analyze(makeItem('wire', 'w1', TITLE, { summary: 'ALERT summary' }));
    expect(outcome).toMatchObject({ kind: 'ignored', mutedBy: 'yalu river' });
    expect(t.enqueued).toEqual([]);
  });

  it('fetches the article for short feed text when the source asks for it', async () => {
    const fetched: string[] = [];
    const t = setup({ sources: [makeSource('wire', { fetchArticle: true })] });
    t.deps.fetchArticleText = (item) => {
      fetched.push(item.id);
      return Promise.resolve('The full article says ALERT.');
    };

    const outcome = await t.analyze(makeItem('wire', 'w1', TITLE, { summary: 'short' }));

    expect(fetched).toEqual(['w1']);
    expect(outcome.kind).toBe('new-story');
  });
});
