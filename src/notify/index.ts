export type { FailureAction, FormatOptions, Notifier, PostOptions, PostResult } from './types.js';
export { DeliveryError, maskSecrets } from './errors.js';
export type { DeliveryFailureFacts, DeliveryPlatform, TransportFailure } from './errors.js';
export { actionForFailure, classifyDeliveryFailure, describeDeliveryFailure, toDeliveryError } from './classify-failure.js';
export { discordNonce } from './nonce.js';
export { TRIAGE_ACTIONS, discordCustomId, slackActionId, triageActionsFor } from './triage-actions.js';
export type { TriageAction } from './triage-actions.js';
export { cleanText, fitText } from './text.js';

export { DISCORD_LIMITS, escapeDiscord, formatDiscordMessage } from './discord/format.js';
export type { DiscordFormatOptions, DiscordMessageBody } from './discord/format.js';
export { DISCORD_NONCE_MAX, createDiscordNotifier, createDiscordRest } from './discord/client.js';
export type { DiscordNotifierOptions } from './discord/client.js';

export { SLACK_LIMITS, escapeSlack, formatSlackMessage } from './slack/format.js';
export type { SlackBlock, SlackButton, SlackMessageBody, SlackText } from './slack/format.js';
export { SLACK_EVENT_TYPE, createSlackNotifier, splitSlackMessageId } from './slack/client.js';
export type { SlackNotifierOptions } from './slack/client.js';

export { formatConsoleAlert } from './console/format.js';
export { createConsoleNotifier } from './console/client.js';
export type { AlertLogLine, ConsoleNotifierOptions } from './console/client.js';
