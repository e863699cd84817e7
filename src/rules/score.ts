import type { Match, RuleScore } from '../domain/index.js';
import type { FieldHits } from './hits.js';
import { originalRange, snippetAt } from './snippet.js';

/** A term of a rule, resolved to its matcher key. */
export interface CompiledTerm {
  key: number;
  /** As written in the pack (reported in matches and `why`). */
  term: string;
  w: number;
}

/** A `near` clause resolved to matcher keys. */
export interface CompiledNear {
  a: CompiledTerm[];
  b: CompiledTerm[];
  within: number;
  w: number;
}

/** A rule ready to score. */
export interface CompiledRule {
  /** "<pack>/<id>". */
  id: string;
  pack: string;
  packIndex: number;
  titleWeight: number;
  maxScore?: number;
  tags?: string[];
  terms: CompiledTerm[];
  all: CompiledTerm[][];
  none: CompiledTerm[];
  near: CompiledNear[];
}

/** The outcome of one rule on one item. */
export interface RuleOutcome {
  score: RuleScore;
  matches: Match[];
  /** True when the score counts (not vetoed, `all` satisfied). */
  counted: boolean;
  /** Score before a veto or unmet `all` zeroed it (0 when nothing matched). */
  raw: number;
}

/** Snippets reported per term and field. */
const SNIPPETS_PER_TERM = 3;

function fmt(n: number): string {
  const r = Math.round(n * 100) / 100;
  return r >= 0 ? `+${r}` : `${r}`;
}

function hitAnywhere(t: CompiledTerm, title: FieldHits, text: FieldHits): boolean {
  return title.has(t.key) || text.has(t.key);
}

function addMatches(out: Match[], rule: string, t: CompiledTerm, field: 'title' | 'text', hits: FieldHits, weight: number): void {
  let h = hits.first(t.key);
  for (let n = 0; h >= 0 && n < SNIPPETS_PER_TERM; n++, h = hits.nextHit(h)) {
    const [s, e] = originalRange(hits.norm, hits.original, hits.start(h), hits.end(h));
    out.push({ rule, term: t.term, field, snippet: snippetAt(hits.original, s, e), weight });
  }
}

/** The closest pair (a hit of `a`, a hit of `b`) in one field, as words between them; -1 if none. */
function nearestGap(near: CompiledNear, hits: FieldHits): { gap: number; a: CompiledTerm; b: CompiledTerm } | undefined {
  let best: { gap: number; a: CompiledTerm; b: CompiledTerm } | undefined;
  for (const ta of near.a) {
    for (let ha = hits.first(ta.key), na = 0; ha >= 0 && na < 64; ha = hits.nextHit(ha), na++) {
      for (const tb of near.b) {
        for (let hb = hits.first(tb.key), nb = 0; hb >= 0 && nb < 64; hb = hits.nextHit(hb), nb++) {
          const as = hits.start(ha);
          const ae = hits.end(ha);
          const bs = hits.start(hb);
          const be = hits.end(hb);
          if (as < be && bs < ae) continue; // overlapping: the same words, not two terms
          const half = as < bs ? hits.halfWordPos(bs) - hits.halfWordPos(ae) : hits.halfWordPos(as) - hits.halfWordPos(be);
          const gap = Math.max(0, half) / 2;
          if (!best || gap < best.gap) best = { gap, a: ta, b: tb };
        }
      }
    }
  }
  return best;
}

/**
 * Scores one rule: distinct terms once per field (title × titleWeight), `near` clauses once
 * per field, then `all` (every group needs a hit), `none` (any hit vetoes) and `maxScore`.
 */
export function scoreRule(rule: CompiledRule, title: FieldHits, text: FieldHits): RuleOutcome {
  let score = 0;
  const why: string[] = [];
  const matches: Match[] = [];
  const seenKeys = new Set<number>();
  for (const t of rule.terms) {
    if (seenKeys.has(t.key)) continue;
    seenKeys.add(t.key);
    if (title.has(t.key)) {
      const s = t.w * rule.titleWeight;
      score += s;
      why.push(`title: ${t.term} (${fmt(s)})`);
      addMatches(matches, rule.id, t, 'title', title, s);
    }
    if (text.has(t.key)) {
      score += t.w;
      const n = text.count(t.key);
      why.push(`text: ${t.term} (${fmt(t.w)}${n > 1 ? `, ${n} times, counted once` : ''})`);
      addMatches(matches, rule.id, t, 'text', text, t.w);
    }
  }
  for (const near of rule.near) {
    for (const [field, hits, mult] of [
      ['title', title, rule.titleWeight],
      ['text', text, 1],
    ] as const) {
      const found = nearestGap(near, hits);
      if (!found || found.gap > near.within) continue;
      const s = near.w * mult;
      score += s;
      why.push(`${field}: "${found.a.term}" ${found.gap} word(s) from "${found.b.term}" (near ≤ ${near.within}, ${fmt(s)})`);
      addMatches(matches, rule.id, found.a, field, hits, s);
      addMatches(matches, rule.id, found.b, field, hits, s);
    }
  }
  let counted = true;
  rule.all.forEach((group, i) => {
    if (!group.some((t) => hitAnywhere(t, title, text))) {
      counted = false;
      why.push(`not counted: all[${i}] has no hit (${group.map((t) => t.term).join(', ')})`);
    }
  });
  const veto = rule.none.find((t) => hitAnywhere(t, title, text));
  if (veto) {
    counted = false;
    why.push(`vetoed: none term "${veto.term}" found`);
  }
  if (counted && rule.maxScore !== undefined && score > rule.maxScore) {
    why.push(`capped at maxScore ${rule.maxScore} (was ${Math.round(score * 100) / 100})`);
    score = rule.maxScore;
  }
  const final = counted ? Math.round(score * 100) / 100 : 0;
  const result: RuleScore = { rule: rule.id, pack: rule.pack, score: final, why };
  if (rule.tags && rule.tags.length > 0) result.tags = rule.tags;
  return { score: result, matches: counted ? matches : [], counted, raw: score };
}
