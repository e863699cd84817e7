import { describe, expect, it } from 'vitest';
import {
  BANDS,
  hammingDistance,
  isSameStory,
  simhashBands,
  storyKeys,
  stripPublisherSuffix,
  stripWireTags,
  titleKeyOf,
  urlKeyOf,
} from '../../../src/stories/index.js';
import * as f from './fixtures.js';

describe('stripWireTags', () => {
  it.each([
    ['(LEAD) N. Korea fires ballistic missile', 'N. Korea fires ballistic missile'],
    ['(2nd LD) China sends back defectors', 'China sends back defectors'],
    ['(3rd LD) China sends back defectors', 'China sends back defectors'],
    ['(URGENT) China sends back defectors', 'China sends back defectors'],
    ['(News Focus) Why Beijing keeps deporting defectors', 'Why Beijing keeps deporting defectors'],
    ['(LEAD) (News Focus) Why Beijing keeps deporting defectors', 'Why Beijing keeps deporting defectors'],
    ['[속보] 中, 탈북민 강제북송', '中, 탈북민 강제북송'],
    ['[단독] 탈북민 강제북송 확인', '탈북민 강제북송 확인'],
    ['中, 탈북민 강제북송(종합)', '中, 탈북민 강제북송'],
    ['中, 탈북민 강제북송(종합2보)', '中, 탈북민 강제북송'],
    ['中, 탈북민 강제북송 (2보)', '中, 탈북민 강제북송'],
    ['UPDATE 2-China deports North Koreans', 'China deports North Koreans'],
    ['EXCLUSIVE-China deports North Koreans', 'China deports North Koreans'],
  ])('%s', (input, expected) => {
    expect(stripWireTags(input)).toBe(expected);
  });

  it('keeps brackets that are part of the story', () => {
    expect(stripWireTags('UN expert (Special Rapporteur) urges China to stop returns')).toBe(
      'UN expert (Special Rapporteur) urges China to stop returns',
    );
  });
});

describe('stripPublisherSuffix', () => {
  it('drops a named publisher even when long', () => {
    expect(
      stripPublisherSuffix('China deports defectors - The Korea Herald English Edition Online', 'The Korea Herald English Edition Online'),
    ).toBe('China deports defectors');
  });
  it('drops a short trailing name', () => {
    expect(stripPublisherSuffix('China deports 600 North Korean defectors | NK News')).toBe('China deports 600 North Korean defectors');
  });
  it('keeps a dash that is part of the headline', () => {
    expect(stripPublisherSuffix('Seoul - Beijing ties strained after mass deportation of defectors in October')).toBe(
      'Seoul - Beijing ties strained after mass deportation of defectors in October',
    );
  });
});

describe('titleKeyOf', () => {
  it('folds case, punctuation and abbreviations', () => {
    expect(titleKeyOf('(LEAD) China repatriates about 600 N. Korean defectors: activists')).toBe(
      'china repatriates about 600 north korean defectors activists',
    );
  });
  it('skips titles too short to be distinctive', () => {
    expect(titleKeyOf('North Korea - Reuters')).toBeUndefined();
    expect(titleKeyOf('Press release')).toBeUndefined();
    expect(titleKeyOf('탈북민 강제북송')).toBeUndefined();
    expect(titleKeyOf('中, 탈북민 600여명 강제북송')).toBeDefined();
  });
  it('skips recurring titles that name no event', () => {
    expect(titleKeyOf('Daily Press Briefing by the Office of the Spokesperson')).toBeUndefined();
  });
});

describe('urlKeyOf', () => {
  it('drops scheme, www, fragment, trailing slash and tracking parameters', () => {
    expect(urlKeyOf('https://www.koreaherald.com/view.php?utm_source=rss&ud=2023#top')).toBe(
      urlKeyOf('http://koreaherald.com/view.php?ud=2023'),
    );
  });
  it('rejects non-http URLs', () => {
    expect(urlKeyOf('javascript:alert(1)')).toBeUndefined();
    expect(urlKeyOf('not a url')).toBeUndefined();
  });
});

describe('simhash', () => {
  it('gives BANDS bands that change with the hash', () => {
    const keys = storyKeys(f.yonhapOriginal);
    expect(keys.bands).toHaveLength(BANDS);
    expect(simhashBands(keys.simhash ^ 1n)[0]).not.toBe(keys.bands[0]);
    expect(hammingDistance(keys.simhash, keys.simhash ^ 0b1011n)).toBe(3);
  });
  it('has no bands when there is too little text (Google News items)', () => {
    expect(storyKeys(f.googleNewsCopy).bands).toEqual([]);
  });
  it('is deterministic', () => {
    expect(storyKeys(f.dailyNk).simhash).toBe(storyKeys({ ...f.dailyNk }).simhash);
  });
});

describe('isSameStory: copies of one story merge', () => {
  it('Yonhap (LEAD) refile and the original: same title', () => {
    expect(isSameStory(f.yonhapOriginal, f.yonhapLead)).toMatchObject({ same: true, by: 'title' });
  });
  it('Yonhap Korean flash [속보] and its (종합) refile: same title', () => {
    expect(isSameStory(f.koreanFlash, f.koreanRefile)).toMatchObject({ same: true, by: 'title' });
  });
  it('Google News title with " - Publisher": same title', () => {
    expect(isSameStory(f.yonhapOriginal, f.googleNewsCopy)).toMatchObject({ same: true, by: 'title' });
  });
  it('Korea Herald reprint of the Yonhap copy (own headline, dateline and end cut): SimHash', () => {
    const m = isSameStory(f.yonhapLead, f.heraldReprint);
    expect(m).toMatchObject({ same: true, by: 'simhash' });
    expect(m.why).toMatch(/SimHash distance \d+/u);
  });
  it('same URL after canonicalisation', () => {
    const a = f.item({ title: 'One', url: 'https://www.nknews.org/a/?utm_medium=x' });
    const b = f.item({ title: 'Two', url: 'https://nknews.org/a' });
    expect(isSameStory(a, b)).toMatchObject({ same: true, by: 'url' });
  });
  // Decision: two outlets on one event merge when their bodies overlap (here both carry the
  // rights group's statement at length); independent write-ups of the same event do not,
  // because text alone cannot tell them from two separate incidents.
  it('Daily NK and NK News carrying the same statement in their bodies merge', () => {
    expect(isSameStory(f.dailyNk, f.nkNews)).toMatchObject({ same: true, by: 'simhash' });
  });
});

describe('isSameStory: different stories on the same subject stay apart', () => {
  it.each([
    ['Daily NK vs an independent NK News write-up', f.dailyNk, f.nkNewsOwnWords],
    ['October 2023 mass return vs April 2024 return', f.yonhapOriginal, f.dailyNk],
    ['UN statement vs a news report about it', f.unStatement, f.newsOnUnStatement],
    ['the deportation report vs the UN reaction report', f.yonhapOriginal, f.newsOnUnStatement],
    ['Yonhap October report vs the April write-up', f.yonhapLead, f.nkNewsOwnWords],
  ])('%s', (_name, a, b) => {
    const m = isSameStory(a, b);
    expect(m.same).toBe(false);
    expect(m.distance).toBeGreaterThan(15);
  });
  it('short titles and no text never merge by content', () => {
    const a = f.item({ title: 'North Korea' });
    const b = f.item({ title: 'North Korea' });
    expect(isSameStory(a, b)).toMatchObject({ same: false });
  });
});
