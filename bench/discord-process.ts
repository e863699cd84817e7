/**
 * The fake Discord (`test/fakes/discord-api.ts`) in its own process, so that its server and its
 * ledger (one entry per post, 2 000+ in a full run) are not counted against the bot.
 * The parent reads what the latency and drain measurements need over IPC: the number of
 * accepted messages, and when the messages carrying given tokens were accepted.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startFakeDiscord } from '../test/fakes/discord-api.js';
import { forkChild, serveRequests } from './child.js';

/** One accepted message whose payload matched a pattern. */
export interface DiscordPostMatch {
  /** The first match of the pattern in the message's JSON payload. */
  token: string;
  /** When the fake accepted the message (ms since the epoch). */
  createdAt: number;
}

type DiscordOps = {
  /** Accepted messages so far. */
  count(): number;
  /** Messages from ledger index `from` on whose payload matches `pattern`; `next` is where to resume. */
  find(args: { from: number; pattern: string }): { next: number; matches: DiscordPostMatch[] };
  /** Resident set size of the fake's process, MB. */
  rssMb(): number;
};

/** The parent's handle on the fake Discord process. */
export interface DiscordProcess {
  /** REST base for DISCORD_API_URL, e.g. http://127.0.0.1:1234/api */
  apiUrl: string;
  token: string;
  pid: number;
  /** Messages accepted so far. */
  count(): Promise<number>;
  /** See {@link DiscordPostMatch}; pass the returned `next` as `from` to read only newer messages. */
  find(from: number, pattern: RegExp): Promise<{ next: number; matches: DiscordPostMatch[] }>;
  rssMb(): Promise<number>;
  close(): Promise<void>;
}

/** Forks this file (through tsx) and waits until the fake listens on 127.0.0.1. */
export async function startDiscordProcess(): Promise<DiscordProcess> {
  const child = await forkChild<DiscordOps, { apiUrl: string; token: string }>(fileURLToPath(import.meta.url), {
    name: 'fake Discord',
    execArgv: ['--import', 'tsx'],
  });
  return {
    apiUrl: child.ready.apiUrl,
    token: child.ready.token,
    pid: child.pid,
    count: () => child.call('count'),
    find: (from, pattern) => child.call('find', { from, pattern: pattern.source }),
    rssMb: () => child.call('rssMb'),
    close: () => child.close(),
  };
}

async function runChild(): Promise<void> {
  const fake = await startFakeDiscord();
  const ops: DiscordOps = {
    count: () => fake.ledger.length,
    find({ from, pattern }) {
      const regex = new RegExp(pattern);
      const matches: DiscordPostMatch[] = [];
      const ledger = fake.ledger;
      for (let i = from; i < ledger.length; i++) {
        const entry = ledger[i];
        const token = entry ? regex.exec(JSON.stringify(entry.payload))?.[0] : undefined;
        if (entry && token !== undefined) matches.push({ token, createdAt: entry.createdAt });
      }
      return { next: ledger.length, matches };
    },
    rssMb: () => Math.round(process.memoryUsage().rss / 1e5) / 10,
  };
  serveRequests(ops, { apiUrl: fake.apiUrl, token: fake.token }, () => fake.close());
}

if (process.send && import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runChild().catch((error: unknown) => {
    process.stderr.write(`fake Discord failed to start: ${String(error)}\n`);
    process.exit(1);
  });
}
