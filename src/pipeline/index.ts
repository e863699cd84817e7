export { pollSource } from './poll-source.js';
export type { PollDeps, PollOutcome } from './poll-source.js';
export { analyzeItem, alertIdForStory } from './analyze-item.js';
export type { AnalyzeDeps, AnalyzeOutcome } from './analyze-item.js';
export { deliverAlert, DeliveryFailedError } from './deliver-alert.js';
export type { DeliverDeps, DeliverOutcome } from './deliver-alert.js';
export { routeAlert, maxDecision, maxSeverity, severityRank, FALLBACK_TARGETS } from './routing.js';
export type { RoutedTarget } from './routing.js';
export type {
  AlertPort,
  ClassifierPort,
  FetchState,
  FetchStatePort,
  NotifyJob,
  PipelineEvents,
  SeenPort,
  SourceLookup,
  StoryPort,
  TargetStatePort,
  WarnOps,
} from './ports.js';
export { alertsForDigest, digestCron, formatDigest } from './digest.js';
