import { randomBytes } from 'node:crypto';
import type { APIActionRowComponent, APIComponentInMessageActionRow, APIEmbed } from 'discord-api-types/v10';

/** A reply body: embeds and components (what editReply sends). */
export interface ReplyBody {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
}

/** Embed descriptions hold at most 4096 characters; leave room for "page n/m". */
export const PAGE_CHARS = 4000;
// Interaction tokens live 15 minutes; pages outliving them could never be shown anyway.
const PAGE_TTL_MS = 15 * 60_000;

/** Splits text into pages of ≤ `max` characters, at line breaks where possible. */
export function paginate(text: string, max = PAGE_CHARS): string[] {
  const pages: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    let rest = line;
    while (rest.length > max) {
      if (current) {
        pages.push(current);
        current = '';
      }
      pages.push(rest.slice(0, max));
      rest = rest.slice(max);
    }
    const next = current ? `${current}\n${rest}` : rest;
    if (next.length > max) {
      pages.push(current);
      current = rest;
    } else current = next;
  }
  if (current || pages.length === 0) pages.push(current || '(nothing)');
  return pages;
}

/** In-memory page store per process: `rw:page:<token>:<n>` buttons look pages up here. */
export class PageStore {
  private readonly entries = new Map<string, { title: string; pages: string[]; expires: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Stores pages and returns the body of page 1. */
  open(title: string, text: string): ReplyBody {
    const pages = paginate(text);
    if (pages.length === 1) return { embeds: [{ title, description: pages[0] ?? '' }] };
    this.sweep();
    const token = randomBytes(6).toString('hex');
    this.entries.set(token, { title, pages, expires: this.now() + PAGE_TTL_MS });
    return this.render(token, 1) ?? { content: 'page expired' };
  }

  /** Page `n` (1-based) of a stored reply, or undefined when the token expired. */
  render(token: string, n: number): ReplyBody | undefined {
    const entry = this.entries.get(token);
    if (!entry || entry.expires < this.now()) return undefined;
    const total = entry.pages.length;
    const page = Math.min(Math.max(1, n), total);
    const button = (label: string, target: number, disabled: boolean) => ({
      type: 2 as const,
      style: 2 as const,
      label,
      custom_id: `rw:page:${token}:${target}`,
      disabled,
    });
    return {
      embeds: [{ title: entry.title, description: entry.pages[page - 1] ?? '', footer: { text: `page ${page}/${total}` } }],
      components: [{ type: 1, components: [button('◀ Prev', page - 1, page <= 1), button('Next ▶', page + 1, page >= total)] }],
    };
  }

  private sweep(): void {
    const t = this.now();
    for (const [k, v] of this.entries) if (v.expires < t) this.entries.delete(k);
  }
}
