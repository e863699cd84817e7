/** Slack triage adapter: bolt app (buttons, dismiss reasons, /refwatch) and its pure helpers. */
export { SlackTriageConfigError, startSlackTriage } from './app.js';
export type { SlackTriage, SlackTriageLog, SlackTriageOptions } from './app.js';
export { DEFAULT_MUTE_MS, DEFAULT_STATS_DAYS, REFWATCH_USAGE, decodeSlackText, parseRefwatchCommand } from './command.js';
export type { RefwatchCommand } from './command.js';
export { DISMISS_REASON_ACTION, decodeDismissBlockId, dismissReasonMessage, encodeDismissBlockId } from './blocks.js';
export type { DismissTarget } from './blocks.js';
export { runRefwatchCommand } from './run-command.js';
export type { CommandContext } from './run-command.js';
