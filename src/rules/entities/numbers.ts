/**
 * Number readings used by the people extractor. Vague quantities map to a floor so that a
 * severity rule such as "people ≥ 100" fires on "hundreds", never on "dozens".
 */

/** Vague or spelled-out quantities (normalised, lower case) → the count they stand for. */
export const NUMBER_WORDS: ReadonlyMap<string, number> = new Map<string, number>([
  // en
  ['tens of thousands', 20_000],
  ['hundreds of thousands', 200_000],
  ['several thousand', 2000],
  ['several hundred', 200],
  ['thousands', 2000],
  ['hundreds', 200],
  ['dozens', 24],
  ['scores', 40],
  ['a dozen', 12],
  ['a hundred', 100],
  ['a thousand', 1000],
  ['several dozen', 24],
  ['one', 1],
  ['two', 2],
  ['three', 3],
  ['four', 4],
  ['five', 5],
  ['six', 6],
  ['seven', 7],
  ['eight', 8],
  ['nine', 9],
  ['ten', 10],
  ['eleven', 11],
  ['twelve', 12],
  ['fifteen', 15],
  ['twenty', 20],
  ['thirty', 30],
  ['forty', 40],
  ['fifty', 50],
  ['sixty', 60],
  ['seventy', 70],
  ['eighty', 80],
  ['ninety', 90],
  // fr
  ['des dizaines de milliers', 20_000],
  ['des centaines', 200],
  ['des milliers', 2000],
  ['des dizaines', 20],
  ['plusieurs centaines', 200],
  ['plusieurs milliers', 2000],
  ['centaines', 200],
  ['milliers', 2000],
  ['dizaines', 20],
  // es
  ['decenas de miles', 20_000],
  ['cientos', 200],
  ['centenares', 200],
  ['miles', 2000],
  ['decenas', 20],
  ['docenas', 24],
  // ru
  ['десятки тысяч', 20_000],
  ['сотни', 200],
  ['сотен', 200],
  ['тысячи', 2000],
  ['тысяч', 2000],
  ['десятки', 20],
  ['десятков', 20],
  ['несколько сотен', 200],
  ['несколько тысяч', 2000],
  // ar
  ['عشرات الآلاف', 20_000],
  ['مئات', 200],
  ['آلاف', 2000],
  ['الآلاف', 2000],
  ['عشرات', 20],
]);

/** Korean/Chinese/Japanese vague quantities (수백 = "several hundred", 数百 likewise). */
export const CJK_VAGUE: ReadonlyMap<string, number> = new Map<string, number>([
  ['수십만', 200_000],
  ['수만', 20_000],
  ['수천', 2000],
  ['수백', 200],
  ['수십', 20],
  ['몇백', 200],
  ['몇십', 20],
  ['몇천', 2000],
  ['数十万', 200_000],
  ['数万', 20_000],
  ['数千', 2000],
  ['数百', 200],
  ['数十', 20],
  ['几百', 200],
  ['几十', 20],
  ['几千', 2000],
  ['上百', 100],
  ['上千', 1000],
  ['上万', 10_000],
]);

/** Parses "2,000", "1 500", "2.000" (thousands separators), "600" → integer; NaN when not a count. */
export function parseDigits(text: string): number {
  const compact = text.replace(/[ ,.\u00a0\u202f]/g, '');
  if (!/^\d+$/.test(compact)) return Number.NaN;
  return Number.parseInt(compact, 10);
}

const HAN_DIGIT: Readonly<Record<string, number>> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const UNIT: Readonly<Record<string, number>> = {
  十: 10,
  百: 100,
  千: 1000,
  万: 10_000,
  십: 10,
  백: 100,
  천: 1000,
  만: 10_000,
};

/**
 * Parses a CJK number that mixes digits, Han numerals and units:
 * "600", "六百", "2千", "1만 2천", "三千五百" → integer; NaN when nothing numeric.
 */
export function parseCjkNumber(text: string): number {
  let total = 0; // completed 万 groups
  let section = 0; // below 万
  let digits = '';
  let pending: number | undefined;
  const flushDigits = (): void => {
    if (digits) {
      pending = parseDigits(digits);
      digits = '';
    }
  };
  for (const ch of text) {
    if (/[0-9,]/.test(ch)) {
      digits += ch;
      continue;
    }
    flushDigits();
    const d = HAN_DIGIT[ch];
    if (d !== undefined) {
      pending = d;
      continue;
    }
    const unit = UNIT[ch];
    if (unit === undefined) continue; // spaces
    if (unit === 10_000) {
      total += (section + (pending ?? (section === 0 ? 1 : 0))) * unit;
      section = 0;
    } else {
      section += (pending ?? 1) * unit;
    }
    pending = undefined;
  }
  flushDigits();
  const value = total + section + (pending ?? 0);
  return value > 0 || /[0零〇]/.test(text) ? value : Number.NaN;
}
