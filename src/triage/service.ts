import type { Redis } from 'ioredis';
import type { Config, Route } from '../config/index.js';
import type { Alert, Source, TriageState } from '../domain/index.js';
import { routeAlert, type ClassifierPort, type NotifyJob } from '../pipeline/index.js';
import type { FetchOptions, FetchResult } from '../sources/index.js';
import type { ChatSourceStore, FetchState } from '../store/index.js';
import { jobIdFor, postJobId } from '../queue/index.js';
import { applyTriage, type Actor, type TriageActionName } from './core.js';
import { createSourcesAdmin, type SourcesAdmin } from './sources-admin.js';
import { computeStats, type TriageStats } from './stats.js';
import { appendAudit, casAlert, createMuteStore, labelFor, readLabels, triageKeys, type AuditEntry } from './store.js';

/** Minimal logger (pino-compatible). */
export interface TriageLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** A notify job plus the BullMQ job id that makes it idempotent. */
export interface KeyedNotifyJob {
  job: NotifyJob;
  jobId: string;
}

/** Everything the service needs; each I/O concern is a small port the composition root wires. */
export interface TriageServiceDeps {
  /** Producer connection: alert compare-and-set, audit stream, labels, mutes. */
  redis: Redis;
  /** REFWATCH_PREFIX. */
  prefix: string;
  alerts: { listSince(sinceMs: number): Promise<Alert[]>; getPosted(alertId: string): Promise<Record<string, string>> };
  routes: readonly Route[];
  moderators: Config['moderators'];
  /** Adds notify jobs with their job ids (a repeated id is a no-op: promotion posts once). */
  enqueueNotify(jobs: KeyedNotifyJob[]): Promise<void>;
  classifier: ClassifierPort;
  fetchState: { list(): Promise<FetchState[]> };
  chatSources: ChatSourceStore;
  /** Sources from the config file (read-only from chat). */
  configSources: readonly Source[];
  fetchOptions: Omit<FetchOptions, 'etag' | 'lastModified'>;
  fetchUrl?: (url: string, options: FetchOptions) => Promise<FetchResult>;
  scheduleSource(source: Source): Promise<void>;
  unscheduleSource(sourceId: string): Promise<void>;
  /** Waiting+active+delayed jobs per queue, for `status`. */
  queueDepth?(): Promise<Record<string, number>>;
  log?: TriageLog;
  now?: () => Date;
}

/** The escalation ping an adapter posts as a follow-up (the only message allowed to mention roles). */
export interface Escalation {
  roleIds: string[];
  text: string;
}

/** Outcome of {@link TriageService.act}. `code: 'handled'` is the losing side of a race or a repeat click. */
export type ActResult =
  | {
      ok: true;
      alert: Alert;
      state: TriageState;
      /** A review item confirmed into an alert: posts were queued for the alert routes. */
      promoted: boolean;
      /** Targets that got a post job / an edit job. */
      posts: string[];
      edits: string[];
      escalation?: Escalation;
      /** Side effects that failed after the decision was stored (e.g. Redis queue timeout). */
      warnings: string[];
    }
  | { ok: false; code: 'not-found' | 'handled' | 'invalid' | 'busy'; message: string };

/** `status()` result. */
export interface TriageStatusReport {
  sources: { total: number; healthy: number; failing: number; paused: number; disabled: number; neverPolled: number };
  /** Sources failing or paused, for the operator to look at. */
  problems: { id: string; health: string; failures: number; lastError?: string }[];
  queues?: Record<string, number>;
  alertsToday: number;
}

/** The moderation service: one per process; adapters (Discord, Slack, CLI) call it. */
export interface TriageService {
  act(alertId: string, action: TriageActionName, actor: Actor, reason?: string): Promise<ActResult>;
  /** Audits a refused attempt (non-moderator) so abuse is visible. */
  recordRefusal(actor: Actor, attempted: string, alertId?: string): Promise<void>;
  status(): Promise<TriageStatusReport>;
  sources: Omit<SourcesAdmin, 'check'>;
  check(url: string): Promise<string>;
  mute(term: string, forMs: number, actor?: Actor): Promise<{ ok: true; term: string; until: Date } | { ok: false; message: string }>;
  stats(days?: number): Promise<TriageStats>;
  /** Appends any audit entry (sources and mutes from chat use it too). */
  audit(entry: Omit<AuditEntry, 'at'> & { at?: string }): Promise<void>;
}

const CAS_TRIES = 5;
const DAY_MS = 86_400_000;
const MAX_MUTE_MS = 90 * DAY_MS;

/** Builds the triage service. */
export function createTriageService(deps: TriageServiceDeps): TriageService {
  const now = deps.now ?? (() => new Date());
  const keys = triageKeys(deps.prefix);
  const admin = createSourcesAdmin({ ...deps, now, ...(deps.fetchUrl ? { fetchUrl: deps.fetchUrl } : {}) });
  const mutes = createMuteStore(deps.redis, { prefix: deps.prefix });

  async function audit(entry: Omit<AuditEntry, 'at'> & { at?: string }): Promise<void> {
    const full: AuditEntry = { ...entry, at: entry.at ?? now().toISOString() };
    await appendAudit(deps.redis, deps.prefix, full);
    deps.log?.info(
      { audit: full },
      `triage ${full.action} by ${full.actor} (${full.platform})${full.alertId ? ` on ${full.alertId}` : ''}`,
    );
  }

  function sourceTags(sourceId: string): string[] {
    return deps.configSources.find((s) => s.id === sourceId)?.tags ?? [];
  }

  async function act(alertId: string, action: TriageActionName, actor: Actor, reason?: string): Promise<ActResult> {
    for (let attempt = 0; attempt < CAS_TRIES; attempt += 1) {
      const raw = await deps.redis.get(keys.alert(alertId));
      if (raw === null)
        return {
          ok: false,
          code: 'not-found',
          message: `Alert ${alertId} is not in Redis (expired after the retention window, or wiped).`,
        };
      const before = JSON.parse(raw) as Alert;
      const at = now();
      const applied = applyTriage(before.triage, action, actor, at, reason);
      if (!applied.ok)
        return { ok: false, code: applied.message.startsWith('Already handled') ? 'handled' : 'invalid', message: applied.message };
      const promoted = action === 'confirm' && before.decision === 'review';
      const after: Alert = { ...before, triage: applied.state, ...(promoted ? { decision: 'alert' as const } : {}) };
      // Lost the race (another moderator, or analyze editing the story): re-read and re-decide.
      if (!(await casAlert(deps.redis, deps.prefix, alertId, raw, JSON.stringify(after)))) continue;
      return afterWin(before, after, applied.state, action, actor, promoted, reason);
    }
    return { ok: false, code: 'busy', message: `Alert ${alertId} kept changing while saving; try again in a moment.` };
  }

  async function afterWin(
    before: Alert,
    after: Alert,
    state: TriageState,
    action: TriageActionName,
    actor: Actor,
    promoted: boolean,
    reason?: string,
  ): Promise<Extract<ActResult, { ok: true }>> {
    const warnings: string[] = [];
    const safely = async (what: string, fn: () => Promise<unknown>): Promise<void> => {
      try {
        await fn();
      } catch (error) {
        const message = `${what} failed: ${error instanceof Error ? error.message : String(error)}`;
        warnings.push(message);
        deps.log?.warn({ err: error, alertId: after.id }, message);
      }
    };
    const at = state.at ?? now().toISOString();
    if (action === 'confirm' || action === 'dismiss') {
      const label = labelFor(before, action === 'confirm', actor.name, at, reason);
      await safely('storing the label', () => deps.redis.hset(keys.labels(), after.id, JSON.stringify(label)));
    }
    const posted = await deps.alerts.getPosted(after.id);
    const edits = Object.keys(posted);
    const posts = promoted
      ? routeAlert(deps.routes, after, sourceTags(after.sourceId))
          .map((r) => r.target)
          .filter((t) => !(t in posted))
      : [];
    const jobs: KeyedNotifyJob[] = [
      // The analyze stage's id for (alert, target): a second confirm, a replay, or analyze
      // posting the same story at the same moment can never post twice.
      ...posts.map((target) => ({ job: { alertId: after.id, target, action: 'post' as const }, jobId: postJobId(after.id, target) })),
      // One id per (alert, target, state change): every action refreshes every message once.
      ...edits.map((target) => ({
        job: { alertId: after.id, target, action: 'edit' as const },
        jobId: jobIdFor('triage-edit', after.id, target, state.status, at),
      })),
    ];
    if (jobs.length > 0) await safely('queueing the message updates', () => deps.enqueueNotify(jobs));
    const detail = [
      promoted ? 'promoted to alert' : '',
      posts.length ? `post→${posts.join(',')}` : '',
      edits.length ? `edit→${edits.join(',')}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    await safely('writing the audit entry', () =>
      audit({
        at,
        actor: actor.name,
        actorId: actor.id,
        platform: actor.platform,
        action,
        alertId: after.id,
        reason: reason ?? '',
        detail,
      }),
    );
    const result: Extract<ActResult, { ok: true }> = { ok: true, alert: after, state, promoted, posts, edits, warnings };
    if (action === 'escalate' && deps.moderators.escalationRoles.length > 0) {
      result.escalation = {
        roleIds: [...deps.moderators.escalationRoles],
        text: `Escalated by ${actor.name}: “${after.title.slice(0, 200)}” (alert ${after.id}) needs attention.`,
      };
    }
    return result;
  }

  return {
    act,
    audit,
    async recordRefusal(actor, attempted, alertId) {
      await audit({
        actor: actor.name,
        actorId: actor.id,
        platform: actor.platform,
        action: 'refused',
        alertId: alertId ?? '',
        reason: '',
        detail: attempted,
      });
    },
    async status() {
      const entries = await admin.list();
      const count = (h: string): number => entries.filter((e) => e.health === h).length;
      const startOfDay = Math.floor(now().getTime() / DAY_MS) * DAY_MS;
      const [today, queues] = await Promise.all([deps.alerts.listSince(startOfDay), deps.queueDepth?.()]);
      const report: TriageStatusReport = {
        sources: {
          total: entries.length,
          healthy: count('healthy'),
          failing: count('failing'),
          paused: count('paused'),
          disabled: count('disabled'),
          neverPolled: count('never-polled'),
        },
        problems: entries
          .filter((e) => e.health === 'failing' || e.health === 'paused')
          .map((e) => ({
            id: e.source.id,
            health: e.health,
            failures: e.state?.failures ?? 0,
            ...(e.state?.lastError ? { lastError: e.state.lastError } : {}),
          })),
        alertsToday: today.filter((a) => a.decision === 'alert').length,
      };
      if (queues) report.queues = queues;
      return report;
    },
    sources: { list: admin.list, add: admin.add, remove: admin.remove, pause: admin.pause, resume: admin.resume },
    check: admin.check,
    async mute(term, forMs, actor) {
      const trimmed = term.trim();
      if (trimmed.length < 2 || trimmed.length > 100) return { ok: false, message: 'A mute term must be 2–100 characters.' };
      if (!Number.isFinite(forMs) || forMs <= 0 || forMs > MAX_MUTE_MS)
        return { ok: false, message: 'Mute for between 1 minute and 90 days.' };
      const until = new Date(now().getTime() + forMs);
      const stored = await mutes.add(trimmed, until.getTime());
      if (actor) {
        await audit({
          actor: actor.name,
          actorId: actor.id,
          platform: actor.platform,
          action: 'mute',
          alertId: '',
          reason: '',
          detail: `${stored} until ${until.toISOString()}`,
        });
      }
      return { ok: true, term: stored, until };
    },
    async stats(days = 30) {
      const d = Math.max(1, Math.min(365, Math.floor(days)));
      const since = Math.floor(now().getTime() / DAY_MS) * DAY_MS - (d - 1) * DAY_MS;
      const [alerts, labels] = await Promise.all([deps.alerts.listSince(since), readLabels(deps.redis, deps.prefix)]);
      return computeStats(alerts, labels, d, now());
    },
  };
}
