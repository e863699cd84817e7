/** Discord triage adapter: raw-payload handlers, command definitions, pagination and the gateway client. */
export { DISCORD_COMMANDS, REFWATCH_COMMAND } from './commands.js';
export { actorOf, handleCommand, handleComponent, parseCustomId } from './handlers.js';
export type { DiscordHandlerContext, DiscordResponder } from './handlers.js';
export { PAGE_CHARS, PageStore, paginate } from './pages.js';
export type { ReplyBody } from './pages.js';
export { createRestResponder, DiscordTriageError, safeDiscordError, startDiscordTriage } from './client.js';
export type { DiscordTriageClient, DiscordTriageOptions } from './client.js';
