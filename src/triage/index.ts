/**
 * Moderation: the pure triage state machine, the service every chat adapter calls, the
 * mute store analyze consults, and permissions. The chat adapters are their own barrels,
 * `./discord/index.js` and `./slack/index.js`, so loading the core never loads a chat SDK.
 */
export { applyTriage, DISMISS_REASONS, isDismissReason, shortTime } from './core.js';
export type { Actor, DismissReason, TriageActionName, TriageResult } from './core.js';
export { createTriageService } from './service.js';
export type { ActResult, Escalation, KeyedNotifyJob, TriageLog, TriageService, TriageServiceDeps, TriageStatusReport } from './service.js';
export { computeStats } from './stats.js';
export type { RuleStats, TriageStats } from './stats.js';
export { healthOf, DEFAULT_CHAT_EVERY_MS, MIN_CHAT_EVERY_MS } from './sources-admin.js';
export type { FlaggedItem, SourceAddOptions, SourceAddResult, SourceChangeResult, SourceListEntry } from './sources-admin.js';
export { appendAudit, createMuteStore, labelFor, normalizeMuteTerm, readAudit, readLabels, triageKeys } from './store.js';
export type { AuditEntry, LabelRecord, MuteStore } from './store.js';
export { isModerator, MANAGE_GUILD } from './permissions.js';
export type { MemberLike } from './permissions.js';
export { notifyPortFromQueue } from './queue-port.js';
