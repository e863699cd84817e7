import { describe, expect, it } from 'vitest';
import { compileClassifier, packSchema } from '../../../src/rules/index.js';
import type { Gazetteer, RulePack } from '../../../src/rules/index.js';

const gazetteer: Gazetteer = { places: [{ name: 'Dandong', variants: ['dandong', '丹东', '단둥'] }] };

/** One rule holding one term of weight 1; titleWeight 1 so scores read as hit counts. */
function single(term: string): RulePack {
  return packSchema.parse({ pack: 't', titleWeight: 1, thresholds: { alert: 1, review: 1 }, rules: [{ id: 'r', terms: [term] }] });
}

function score(term: string, text: string): number {
  return compileClassifier([single(term)], {}, { gazetteer }).classify({ title: '', text }).score;
}

describe('matching', () => {
  it.each([
    // [term, text, matches?]
    ['repatriated', 'They were repatriated yesterday.', true],
    ['repatriated', 'They were unrepatriated.', false],
    ['repatriated', 'repatriatedly', false],
    ['repatriat*', 'repatriation of escapees', true],
    ['repatriat*', 'unrepatriation', false],
    ['north korean*', 'North Koreans were held', true],
    ['north korean*', 'North-Koreans', true], // a hyphen between letters is a word break
    ['sent back', 'they were sent\n   back to the DPRK', true],
    ['sent back', 'they were sentback', false],
    ['dprk', 'the D.P.R.K. (DPRK) said', true],
    ['беженц*', 'Беженцев вернули', true],
    ['беженцы', 'небеженцы', false],
    ['اللاجئين', 'إعادة اللاجئين قسرا', true],
    ['북송', '강제북송된', true],
    ['강제 북송', '강제북송', true],
    ['강제북송', '강제 북송', true],
    ['遣返', '強制遣返', true],
    ['強制遣返', '强制遣返脱北者', true],
    ['脱北*', '脫北者', true],
    ['送還', '強制送還された', true],
    ['dandong', '在Dandong的', true],
    ['“sent back”', 'he said "sent back"', true],
  ])('%s in %j → %s', (term, text, expected) => {
    expect(score(term, text) > 0).toBe(expected);
  });

  it('counts a distinct term once per field however often it occurs', () => {
    const c = compileClassifier([single('refoulement')], {}, { gazetteer });
    const r = c.classify({ title: 'Refoulement', text: 'refoulement refoulement refoulement' });
    expect(r.score).toBe(2);
    expect(r.matches.filter((m) => m.field === 'text')).toHaveLength(3);
    expect(r.rules[0]?.why).toContain('text: refoulement (+1, 3 times, counted once)');
  });

  it('compiles every pack term into one matcher and reports the term count', () => {
    const a = packSchema.parse({ pack: 'a', rules: [{ id: 'r', terms: ['x', 'Y', 'y', 'z*'] }] });
    const b = packSchema.parse({ pack: 'b', rules: [{ id: 'r', terms: ['x', 'w'] }] });
    expect(compileClassifier([a, b], {}, { gazetteer }).termCount).toBe(4);
  });

  it('snippets come from the original text with ~60 characters of context', () => {
    const text = `${'Lorem ipsum dolor sit amet. '.repeat(10)}Chinese police FORCIBLY “repatriated” the group. ${'More words here. '.repeat(10)}`;
    const pack = packSchema.parse({ pack: 'p', rules: [{ id: 'r', terms: ['forcibly "repatriated"'] }] });
    const r = compileClassifier([pack], {}, { gazetteer }).classify({ title: '', text });
    const m = r.matches[0];
    expect(m?.snippet).toContain('FORCIBLY “repatriated”');
    expect(m?.snippet.startsWith('…')).toBe(true);
    expect(m?.snippet.endsWith('…')).toBe(true);
    expect(m?.snippet.length).toBeLessThan(160);
    expect(m?.snippet.length).toBeGreaterThan(90);
  });

  it('reports places by canonical name, from any script', () => {
    const c = compileClassifier([single('zzz')], {}, { gazetteer });
    expect(c.classify({ title: '단둥', text: '' }).entities.places).toEqual(['Dandong']);
    expect(c.classify({ title: '', text: '丹東 and Dandong' }).entities.places).toEqual(['Dandong']);
    expect(c.classify({ title: '', text: 'Dandongs' }).entities.places).toEqual([]);
  });
});
