import { from as openccFrom, to as openccTo } from 'opencc-js/preset/t2cn';
import type { DictGroup } from 'opencc-js/core';

/**
 * A single-character traditional → simplified Chinese table, built once from opencc-js's
 * tw/hk variant and TS character dictionaries. Phrase-level conversion is deliberately
 * skipped: matching only needs a stable fold, and a per-character table keeps the
 * normaliser a single pass with a 1:1 offset map.
 */
let table: Map<number, number> | undefined;

function addSingles(group: readonly DictGroup[], into: Map<number, number>, compose: boolean): void {
  for (const dicts of group) {
    for (const dict of dicts) {
      if (typeof dict !== 'string') continue;
      for (const entry of dict.split('|')) {
        const space = entry.indexOf(' ');
        if (space < 0) continue;
        const src = entry.slice(0, space);
        const dst = entry.slice(space + 1).split(' ')[0] ?? '';
        // Only one code point on each side: phrases would break the 1:1 offset map.
        const s = src.codePointAt(0);
        const d = dst.codePointAt(0);
        if (s === undefined || d === undefined) continue;
        if (String.fromCodePoint(s) !== src || String.fromCodePoint(d) !== dst) continue;
        if (s === d) continue;
        if (compose) {
          // Variant step first (e.g. 爲 → 為), then the trad → simp step maps the result.
          if (!into.has(s)) into.set(s, d);
        } else {
          into.set(s, d);
        }
      }
    }
  }
}

/** The code point map (traditional/variant → simplified), built on first use. */
export function hanFoldTable(): Map<number, number> {
  if (table) return table;
  const variants = new Map<number, number>();
  addSingles(openccFrom.tw ?? [], variants, true);
  addSingles(openccFrom.hk ?? [], variants, true);
  const simp = new Map<number, number>();
  addSingles(openccTo.cn ?? [], simp, false);
  const out = new Map<number, number>(simp);
  for (const [s, v] of variants) {
    out.set(s, simp.get(v) ?? v);
  }
  // Chains (A → B where B → C) collapse so one lookup is enough.
  for (const [s, d] of out) {
    const next = out.get(d);
    if (next !== undefined && next !== s) out.set(s, next);
  }
  table = out;
  return out;
}
