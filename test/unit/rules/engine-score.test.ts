import { describe, expect, it } from 'vitest';
import { compileClassifier, packSchema, RuleCompileError } from '../../../src/rules/index.js';
import type { Gazetteer } from '../../../src/rules/index.js';

const gazetteer: Gazetteer = { places: [{ name: 'Tumen', variants: ['tumen'] }] };

const pack = packSchema.parse({
  pack: 'nk',
  thresholds: { alert: 10, review: 5 },
  titleWeight: 2,
  rules: [
    {
      id: 'core',
      terms: [
        { t: 'forcibly repatriat*', w: 6 },
        { t: 'refoulement', w: 4 },
      ],
      all: [['north korea*', 'dprk', '탈북*']],
      none: [['remains', 'war dead']],
      maxScore: 14,
      tags: ['core'],
    },
    { id: 'near', terms: [], near: [{ a: ['sent back', 'repatriat*'], b: ['defector*'], within: 3, w: 5 }] },
    { id: 'trap', terms: [{ t: 'profits', w: -8 }] },
    { id: 'title3', titleWeight: 3, terms: [{ t: 'escapee*', w: 1 }] },
  ],
  severity: {
    base: 'medium',
    raise: [
      { terms: ['imminent', '임박'], to: 'high' },
      { terms: ['execut*'], to: 'critical' },
      { people: 100, to: 'high' },
      { people: 500, to: 'critical' },
    ],
  },
});

const classifier = compileClassifier([pack], {}, { gazetteer });
const rule = (r: ReturnType<typeof classifier.classify>, id: string) => r.rules.find((x) => x.rule === `nk/${id}`);

describe('rule operators', () => {
  it('weights title hits by titleWeight and text hits by 1', () => {
    const r = classifier.classify({ title: 'North Korean women forcibly repatriated', text: 'refoulement of DPRK nationals' });
    expect(rule(r, 'core')?.score).toBe(14); // 12 + 4, capped by maxScore
    expect(rule(r, 'core')?.why).toEqual(['title: forcibly repatriat* (+12)', 'text: refoulement (+4)', 'capped at maxScore 14 (was 16)']);
    expect(r.matches.map((m) => [m.term, m.field, m.weight])).toEqual([
      ['forcibly repatriat*', 'title', 12],
      ['refoulement', 'text', 4],
    ]);
    expect(rule(r, 'core')?.tags).toEqual(['core']);
  });

  it('all: the rule scores nothing unless every group has a hit', () => {
    const r = classifier.classify({ title: 'Migrants forcibly repatriated', text: '' });
    expect(rule(r, 'core')?.score).toBe(0);
    expect(rule(r, 'core')?.why.some((w) => w.startsWith('not counted: all[0]'))).toBe(true);
    expect(r.score).toBe(0);
    expect(r.matches).toEqual([]);
  });

  it('all: a group is satisfied by a hit in any script', () => {
    expect(classifier.classify({ title: '', text: '탈북민 refoulement' }).score).toBe(4);
  });

  it('none: any hit vetoes the rule and says why', () => {
    const r = classifier.classify({ title: 'DPRK war dead forcibly repatriated', text: '' });
    expect(rule(r, 'core')?.score).toBe(0);
    expect(rule(r, 'core')?.why).toContain('vetoed: none term "war dead" found');
    expect(r.decision).toBe('ignore');
  });

  it('near: scores when the terms are within N words, not beyond', () => {
    const close = classifier.classify({ title: '', text: 'they sent back three young defectors' });
    expect(rule(close, 'near')?.score).toBe(5);
    expect(rule(close, 'near')?.why[0]).toContain('2 word(s)');
    const far = classifier.classify({ title: '', text: 'they sent back the group of four young defectors' });
    expect(rule(far, 'near')).toBeUndefined();
  });

  it('near: CJK distance counts two characters as a word', () => {
    const p = packSchema.parse({ pack: 'k', rules: [{ id: 'n', near: [{ a: ['북송'], b: ['탈북민'], within: 2, w: 3 }] }] });
    const c = compileClassifier([p], {}, { gazetteer });
    expect(c.classify({ title: '', text: '탈북민들이북송' }).score).toBe(3); // 2 chars between → 1 word
    expect(c.classify({ title: '', text: '탈북민을중국당국이다시북송' }).score).toBe(0); // 7 chars → 3.5 words
  });

  it('negative weights pull the score down', () => {
    const r = classifier.classify({ title: '', text: 'DPRK refoulement of profits' });
    expect(r.score).toBe(4 - 8);
    expect(rule(r, 'trap')?.why).toEqual(['text: profits (-8)']);
  });

  it('maxScore caps a rule', () => {
    const r = classifier.classify({ title: 'Forcibly repatriated, refoulement', text: 'North Korea forcibly repatriated' });
    expect(rule(r, 'core')?.score).toBe(14);
    expect(rule(r, 'core')?.why.at(-1)).toBe('capped at maxScore 14 (was 26)');
  });

  it('a rule titleWeight overrides the pack', () => {
    expect(rule(classifier.classify({ title: 'Escapees', text: '' }), 'title3')?.score).toBe(3);
  });
});

describe('thresholds and decisions', () => {
  it.each([
    ['alert at or above the alert threshold', { title: 'Forcibly repatriated', text: 'DPRK' }, 'alert', 12],
    ['review between the thresholds', { title: '', text: 'DPRK forcibly repatriated' }, 'review', 6],
    ['ignore below review', { title: '', text: 'DPRK refoulement' }, 'ignore', 4],
  ] as const)('%s', (_name, input, decision, score) => {
    const r = classifier.classify(input);
    expect(r.decision).toBe(decision);
    expect(r.score).toBe(score);
  });

  it('overrides replace pack thresholds', () => {
    const strict = compileClassifier([pack], { alert: 30 }, { gazetteer });
    expect(strict.thresholds).toEqual({ alert: 30, review: 5 });
    expect(strict.classify({ title: 'Forcibly repatriated', text: 'DPRK' }).decision).toBe('review');
  });

  it('uses the highest thresholds of the loaded packs', () => {
    const other = packSchema.parse({ pack: 'o', thresholds: { alert: 8, review: 6 }, rules: [{ id: 'r', terms: ['x'] }] });
    expect(compileClassifier([pack, other], {}, { gazetteer }).thresholds).toEqual({ alert: 10, review: 6 });
  });

  it('rejects a review threshold above the alert threshold', () => {
    expect(() => compileClassifier([pack], { review: 20 }, { gazetteer })).toThrow(RuleCompileError);
  });

  it('rejects a term that normalises to nothing', () => {
    const bad = packSchema.parse({ pack: 'b', rules: [{ id: 'r', terms: ['\u200b'] }] });
    expect(() => compileClassifier([bad], {}, { gazetteer })).toThrow(/b\/r: term/);
  });
});

describe('severity', () => {
  it.each([
    ['non-alerts are low', { title: '', text: 'DPRK forcibly repatriated imminent' }, 'low'],
    ['base for a plain alert', { title: 'Forcibly repatriated', text: 'DPRK' }, 'medium'],
    ['raised by a term', { title: 'Forcibly repatriated', text: 'DPRK, transfer imminent' }, 'high'],
    ['raised by a Korean term', { title: 'Forcibly repatriated', text: 'DPRK 북송 임박' }, 'high'],
    ['raised to critical by a term', { title: 'Forcibly repatriated', text: 'DPRK may execute them' }, 'critical'],
    ['raised by people ≥ 100', { title: 'Forcibly repatriated', text: 'DPRK: about 200 defectors' }, 'high'],
    ['raised by people ≥ 500', { title: 'Forcibly repatriated', text: 'DPRK: 600 North Koreans' }, 'critical'],
    ['not raised by dozens', { title: 'Forcibly repatriated', text: 'DPRK: dozens of defectors' }, 'medium'],
    ['not raised by a year', { title: 'Forcibly repatriated', text: 'DPRK: in 2023 defectors said' }, 'medium'],
  ] as const)('%s', (_name, input, severity) => {
    expect(classifier.classify(input).severity).toBe(severity);
  });

  it('reports people counts and places with the alert', () => {
    const r = classifier.classify({ title: 'Forcibly repatriated', text: 'DPRK: about 600 defectors held in Tumen' });
    expect(r.entities).toEqual({ people: [{ count: 600, text: 'about 600' }], places: ['Tumen'] });
  });
});
