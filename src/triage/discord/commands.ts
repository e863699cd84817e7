import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord-api-types/v10';

const STRING = 3;
const SUB = 1;
const GROUP = 2;
const INTEGER = 4;

/**
 * `/refwatch …` as one chat-input command. `default_member_permissions` hides it from members
 * without Manage Server by default, but admins can override that, so handlers check again.
 */
export const REFWATCH_COMMAND: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  name: 'refwatch',
  description: 'Refoulement Watch moderation',
  default_member_permissions: '32',
  contexts: [0],
  options: [
    { type: SUB, name: 'status', description: 'Sources, queues and alerts today' },
    {
      type: GROUP,
      name: 'sources',
      description: 'Manage watched sources',
      options: [
        { type: SUB, name: 'list', description: 'List sources and their health' },
        {
          type: SUB,
          name: 'add',
          description: 'Add a feed (test-fetched first)',
          options: [
            { type: STRING, name: 'url', description: 'http(s) URL of the feed', required: true },
            {
              type: STRING,
              name: 'type',
              description: 'rss (default) or html',
              choices: [
                { name: 'rss', value: 'rss' },
                { name: 'html', value: 'html' },
              ],
            },
            { type: STRING, name: 'id', description: 'Source id (default: from the host name)' },
            { type: STRING, name: 'every', description: 'Poll interval, e.g. 15m' },
          ],
        },
        ...(['remove', 'pause', 'resume'] as const).map((name) => ({
          type: SUB,
          name,
          description: `${name[0]?.toUpperCase()}${name.slice(1)} a chat-added source`,
          options: [{ type: STRING, name: 'id', description: 'Source id', required: true }],
        })),
      ],
    },
    {
      type: SUB,
      name: 'check',
      description: 'Fetch and classify one URL',
      options: [{ type: STRING, name: 'url', description: 'http(s) URL', required: true }],
    },
    {
      type: SUB,
      name: 'mute',
      description: 'Ignore items containing a term for a while',
      options: [
        { type: STRING, name: 'term', description: 'Term to mute', required: true },
        { type: STRING, name: 'for', description: 'How long, e.g. 24h (default 24h)' },
      ],
    },
    {
      type: SUB,
      name: 'stats',
      description: 'Alerts and precision per rule',
      options: [{ type: INTEGER, name: 'days', description: 'Window (default 30)', min_value: 1, max_value: 365 }],
    },
  ],
} as RESTPostAPIChatInputApplicationCommandsJSONBody;

/** Every command the bot registers (PUT application commands at ready). */
export const DISCORD_COMMANDS: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[] = [REFWATCH_COMMAND];
