import { describe, expect, it } from 'vitest';
import { extractPeople, findPlaces } from '../../../src/rules/index.js';
import { parseCjkNumber } from '../../../src/rules/entities/index.js';

describe('extractPeople', () => {
  it.each([
    // en
    ['600 defectors', 600, '600'],
    ['2,000 people', 2000, '2,000'],
    ['about 600 North Korean escapees', 600, 'about 600'],
    ['hundreds of North Koreans', 200, 'hundreds'],
    ['dozens of defectors', 24, 'dozens'],
    ['thousands of refugees', 2000, 'thousands'],
    ['tens of thousands of people', 20_000, 'tens of thousands'],
    ['five women', 5, 'five'],
    // fr / es
    ['1 500 personnes', 1500, '1 500'],
    ['des centaines de réfugiés nord-coréens', 200, 'des centaines'],
    ['unos 2.000 norcoreanos', 2000, 'unos 2.000'],
    ['cientos de personas', 200, 'cientos'],
    // ru / ar
    ['около 600 человек', 600, 'около 600'],
    ['сотни северокорейцев', 200, 'сотни'],
    ['حوالي 600 شخص', 600, 'حوالي 600'],
    ['مئات اللاجئين', 200, 'مئات'],
    // ko
    ['탈북민 600명', 600, '600명'],
    ['탈북민 600 명', 600, '600 명'],
    ['수백 명', 200, '수백 명'],
    ['2천여 명', 2000, '2천여 명'],
    ['수십 명의 탈북민', 20, '수십 명'],
    ['약 1만 2천 명', 12_000, '약 1만 2천 명'],
    // zh / ja
    ['600名脱北者', 600, '600名'],
    ['數百名脫北者', 200, '數百名'],
    ['六百多人', 600, '六百多人'],
    ['600人余りが送還', 600, '600人余り'],
    ['约２００人', 200, '约２００人'],
  ])('%s → %d', (text, count, words) => {
    expect(extractPeople(text)).toEqual([{ count, text: words }]);
  });

  it.each([
    ['in 2023 defectors said'],
    ['since 2020 North Koreans have'],
    ['$600 per person'],
    ['600 dollars per person'],
    ['600만 원'],
    ['2023년'],
    ['2023年'],
    ['600元'],
    ['600 km from the border'],
    ['the 600 metre fence'],
  ])('%s → nothing', (text) => {
    expect(extractPeople(text)).toEqual([]);
  });

  it('finds several counts in one text', () => {
    expect(extractPeople('About 600 defectors, including 40 children, were held.').map((p) => p.count)).toEqual([600, 40]);
  });
});

describe('parseCjkNumber', () => {
  it.each([
    ['600', 600],
    ['六百', 600],
    ['三千五百', 3500],
    ['2千', 2000],
    ['1만 2천', 12_000],
    ['两万', 20_000],
    ['十', 10],
  ])('%s → %d', (text, n) => {
    expect(parseCjkNumber(text)).toBe(n);
  });
});

describe('findPlaces', () => {
  it.each([
    ['Detained in Dandong and Tumen', ['Dandong', 'Tumen']],
    ['단둥에서 신의주로', ['Dandong', 'Sinuiju']],
    ['丹東、圖們', ['Dandong', 'Tumen']],
    ['в Даньдуне', ['Dandong']],
    ['sent to Chongori (Jongori) prison', ['Chongori']],
    ['transit through Laos and Thailand', ['Laos', 'Thailand']],
    ['화성시 날씨', []],
    ['Hwasong-17 missile test', []],
  ])('%s', (text, places) => {
    expect(findPlaces(text)).toEqual(places);
  });
});
