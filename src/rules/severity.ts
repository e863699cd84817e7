import { SEVERITIES } from '../domain/index.js';
import type { PeopleCount, Severity } from '../domain/index.js';
import type { RulePack } from './schema.js';

/** One `raise` entry resolved to matcher keys. */
interface CompiledRaise {
  to: Severity;
  keys?: number[];
  people?: number;
}

/** The severity sections of every pack, indexed like the packs. */
export interface CompiledSeverity {
  packs: Array<{ base: Severity; raise: CompiledRaise[] } | undefined>;
}

/** Resolves severity terms through `keyOf` (the classifier's shared key table). */
export function compileSeverity(packs: readonly RulePack[], keyOf: (term: string, where: string) => number): CompiledSeverity {
  return {
    packs: packs.map((pack) => {
      if (!pack.severity) return undefined;
      const where = `${pack.pack}/severity`;
      return {
        base: pack.severity.base,
        raise: pack.severity.raise.map((r) =>
          'terms' in r ? { to: r.to, keys: r.terms.map((t) => keyOf(t, where)) } : { to: r.to, people: r.people },
        ),
      };
    }),
  };
}

function max(a: Severity, b: Severity): Severity {
  return SEVERITIES.indexOf(b) > SEVERITIES.indexOf(a) ? b : a;
}

/**
 * Severity of an alert: the highest `base` of the packs that scored, raised by any matching
 * `raise` entry of those packs (a term anywhere in the item, or a people count ≥ `people`).
 * Packs without a severity section count as base "medium".
 */
export function decideSeverity(
  compiled: CompiledSeverity,
  scoringPacks: ReadonlySet<number>,
  hasKey: (key: number) => boolean,
  people: readonly PeopleCount[],
): Severity {
  let level: Severity = 'low';
  const most = people.reduce((m, p) => Math.max(m, p.count), 0);
  for (const index of scoringPacks) {
    const section = compiled.packs[index];
    if (!section) {
      level = max(level, 'medium');
      continue;
    }
    level = max(level, section.base);
    for (const r of section.raise) {
      const hit = r.keys ? r.keys.some(hasKey) : r.people !== undefined && most >= r.people;
      if (hit) level = max(level, r.to);
    }
  }
  return level === 'low' && scoringPacks.size === 0 ? 'medium' : level;
}
