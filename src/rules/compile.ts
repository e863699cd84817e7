import type { Classification, ClassifyInput, Decision, Match, RuleScore } from '../domain/index.js';
import { compileGazetteer } from './entities/places.js';
import { extractPeopleNormalized } from './entities/people.js';
import { FieldHits } from './hits.js';
import { loadGazetteer } from './load.js';
import { HitList, Matcher, toMatcherKey } from './matcher.js';
import type { MatcherKey } from './matcher.js';
import { normalizeWithOffsets, OffsetScratch } from './normalize/normalize.js';
import type { Gazetteer, RulePack, Thresholds } from './schema.js';
import { scoreRule } from './score.js';
import type { CompiledRule, CompiledTerm } from './score.js';
import { compileSeverity, decideSeverity } from './severity.js';
import type { CompiledSeverity } from './severity.js';

/** Used when no loaded pack sets thresholds. */
export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = { alert: 10, review: 5 };

/** A compiled set of packs: classify() is pure and synchronous. */
export interface Classifier {
  classify(input: ClassifyInput): Classification;
  /** Distinct normalised terms of the packs in the single matcher (gazetteer excluded). */
  readonly termCount: number;
  readonly thresholds: Readonly<Thresholds>;
  /** "<pack>/<id>" of every enabled rule. */
  readonly ruleIds: readonly string[];
}

/** Options of {@link compileClassifier} beyond the contract's two parameters. */
export interface CompileOptions {
  /** Places to recognise; default: the built-in config/rules/gazetteer.yaml. */
  gazetteer?: Gazetteer;
}

/** A term that normalises to nothing, or another problem found while compiling. */
export class RuleCompileError extends Error {
  override readonly name = 'RuleCompileError';
}

/** Keys shared by every term that normalises to the same text (and the same `*`). */
class KeyTable {
  readonly keys: MatcherKey[] = [];
  private readonly ids = new Map<string, number>();

  id(term: string, where: string): number {
    const key = toMatcherKey(term);
    if (key.text === '') throw new RuleCompileError(`${where}: term "${term}" is empty after normalisation`);
    const name = `${key.text}${key.prefix ? '*' : ''}`;
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.keys.length;
      this.keys.push(key);
      this.ids.set(name, id);
    }
    return id;
  }
}

function thresholdsOf(packs: readonly RulePack[], overrides: Partial<Thresholds>): Thresholds {
  const set = packs.flatMap((p) => (p.thresholds ? [p.thresholds] : []));
  const base =
    set.length > 0
      ? { alert: Math.max(...set.map((t) => t.alert)), review: Math.max(...set.map((t) => t.review)) }
      : { ...DEFAULT_THRESHOLDS };
  const out = { alert: overrides.alert ?? base.alert, review: overrides.review ?? base.review };
  if (out.review > out.alert) {
    throw new RuleCompileError(`review threshold ${out.review} is above the alert threshold ${out.alert}: nothing could be sent to review`);
  }
  return out;
}

function decide(score: number, t: Thresholds): Decision {
  if (score >= t.alert) return 'alert';
  if (score >= t.review) return 'review';
  return 'ignore';
}

/**
 * Compiles ALL terms of all packs (plus severity terms and gazetteer variants) into one
 * Aho–Corasick matcher. Thresholds: the highest alert/review among the packs, unless overridden.
 * Throws {@link RuleCompileError} for terms that normalise to nothing or inverted thresholds.
 */
export function compileClassifier(
  packs: readonly RulePack[],
  overrides: Partial<Thresholds> = {},
  options: CompileOptions = {},
): Classifier {
  const table = new KeyTable();
  const rules: CompiledRule[] = [];
  packs.forEach((pack, packIndex) => {
    for (const rule of pack.rules) {
      if (rule.enabled === false) continue;
      const id = `${pack.pack}/${rule.id}`;
      const term = (t: string): CompiledTerm => ({ key: table.id(t, id), term: t, w: 1 });
      const compiled: CompiledRule = {
        id,
        pack: pack.pack,
        packIndex,
        titleWeight: rule.titleWeight ?? pack.titleWeight,
        terms: rule.terms.map((t) => (typeof t === 'string' ? term(t) : { ...term(t.t), w: t.w })),
        all: (rule.all ?? []).map((group) => group.map(term)),
        none: (rule.none ?? []).flat().map(term),
        near: (rule.near ?? []).map((n) => ({ a: n.a.map(term), b: n.b.map(term), within: n.within, w: n.w })),
      };
      if (rule.maxScore !== undefined) compiled.maxScore = rule.maxScore;
      if (rule.tags !== undefined) compiled.tags = rule.tags;
      rules.push(compiled);
    }
  });
  const severity: CompiledSeverity = compileSeverity(packs, (t, where) => table.id(t, where));
  const termCount = table.keys.length;
  const gazetteer = compileGazetteer(options.gazetteer ?? loadGazetteer());
  const placeOfKey = new Int32Array(termCount + gazetteer.keys.length).fill(-1);
  gazetteer.keys.forEach((k, i) => {
    const id = table.keys.length;
    table.keys.push(k); // place keys stay separate: a pack term never names a place by accident
    placeOfKey[id] = gazetteer.keyPlace[i] ?? -1;
  });
  const keyCount = table.keys.length;
  const matcher = new Matcher(table.keys);
  const thresholds = thresholdsOf(packs, overrides);

  // key → rules that mention it, so only touched rules are evaluated.
  const keyRules: number[][] = Array.from({ length: keyCount }, () => []);
  rules.forEach((rule, ri) => {
    const keys = new Set<number>();
    for (const t of rule.terms) keys.add(t.key);
    for (const g of rule.all) for (const t of g) keys.add(t.key);
    for (const t of rule.none) keys.add(t.key);
    for (const n of rule.near) for (const t of [...n.a, ...n.b]) keys.add(t.key);
    for (const k of keys) keyRules[k]?.push(ri);
  });

  // Scratch reused by every call (classify is synchronous, so never shared mid-call).
  const titleHits = new HitList();
  const textHits = new HitList();
  const title = new FieldHits(keyCount);
  const text = new FieldHits(keyCount);
  const keyStamp = new Int32Array(keyCount);
  const titleOffsets = new OffsetScratch();
  const textOffsets = new OffsetScratch();
  const ruleStamp = new Int32Array(rules.length);
  let gen = 0;

  function classify(input: ClassifyInput): Classification {
    gen++;
    const titleNorm = normalizeWithOffsets(input.title, titleOffsets);
    const textNorm = normalizeWithOffsets(input.text, textOffsets);
    titleHits.count = 0;
    textHits.count = 0;
    matcher.scan(titleNorm.text, titleHits);
    matcher.scan(textNorm.text, textHits);
    const touched: number[] = [];
    title.load(titleHits, titleNorm, input.title, gen, touched, keyStamp);
    text.load(textHits, textNorm, input.text, gen, touched, keyStamp);

    const touchedRules: number[] = [];
    const places: string[] = [];
    const placeOrder: Array<[number, string]> = [];
    for (const key of touched) {
      const place = placeOfKey[key] ?? -1;
      if (place >= 0) {
        const name = gazetteer.names[place];
        const first = title.has(key) ? -1 : text.start(text.first(key));
        if (name !== undefined) placeOrder.push([first, name]);
        continue;
      }
      for (const ri of keyRules[key] ?? []) {
        if (ruleStamp[ri] !== gen) {
          ruleStamp[ri] = gen;
          touchedRules.push(ri);
        }
      }
    }
    placeOrder.sort((a, b) => a[0] - b[0]);
    for (const [, name] of placeOrder) if (!places.includes(name)) places.push(name);

    touchedRules.sort((a, b) => a - b);
    const scores: RuleScore[] = [];
    const matches: Match[] = [];
    const scoringPacks = new Set<number>();
    let total = 0;
    for (const ri of touchedRules) {
      const rule = rules[ri];
      if (!rule) continue;
      const outcome = scoreRule(rule, title, text);
      if (outcome.raw === 0 && outcome.score.score === 0) continue;
      scores.push(outcome.score);
      matches.push(...outcome.matches);
      total += outcome.score.score;
      if (outcome.score.score > 0) scoringPacks.add(rule.packIndex);
    }
    total = Math.round(total * 100) / 100;
    scores.sort((a, b) => b.score - a.score);
    const decision = decide(total, thresholds);
    // Counts of people only matter for flagged items (severity, the alert card); skipping the
    // regexes for ignored items keeps the common case (off-topic news) on the matcher alone.
    const people =
      decision === 'ignore' ? [] : [...extractPeopleNormalized(titleNorm, input.title), ...extractPeopleNormalized(textNorm, input.text)];
    const peopleDeduped = people.filter((p, i) => people.findIndex((q) => q.count === p.count && q.text === p.text) === i);
    const severityLevel =
      decision === 'alert' ? decideSeverity(severity, scoringPacks, (key) => title.has(key) || text.has(key), peopleDeduped) : 'low';
    return {
      decision,
      score: total,
      severity: severityLevel,
      rules: scores,
      matches,
      entities: { people: peopleDeduped, places },
    };
  }

  return { classify, termCount, thresholds, ruleIds: rules.map((r) => r.id) };
}
