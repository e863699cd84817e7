import type { PeopleCount } from '../../domain/index.js';
import { normalizeText, normalizeWithOffsets } from '../normalize/normalize.js';
import type { NormalizedText } from '../normalize/normalize.js';
import { CJK_VAGUE, NUMBER_WORDS, parseCjkNumber, parseDigits } from './numbers.js';

/*
 * People counts are found in *normalised* text (lower case, NFKC digits, simplified Chinese,
 * no spaces between Hangul syllables) and reported with the original wording.
 * A number counts only next to a people word, so years ("in 2023") and money ("$600",
 * "600만 원") are not counts.
 */

/**
 * Vocabularies are written as people spell them; matching runs on normalised text (accents and
 * Arabic hamza forms folded, hyphens between letters read as spaces), so the literal parts of
 * each pattern are folded the same way. Regex syntax is ASCII and left alone.
 */
function foldPattern(source: string): string {
  return source.replace(/[^\p{ASCII}]+/gu, (run) => normalizeText(run)).replace(/(\p{L})-(\p{L})/gu, '$1 $2');
}

const APPROX_WORDS =
  'about|around|approximately|roughly|nearly|almost|some|over|more than|at least|up to|as many as|an estimated|' +
  'environ|près de|plus de|au moins|quelque|unos|unas|alrededor de|más de|casi|cerca de|al menos|' +
  'около|более|почти|примерно|свыше|не менее|حوالي|نحو|أكثر من|قرابة';
const APPROX = foldPattern(APPROX_WORDS);

const PEOPLE_WORDS =
  'people|persons?|individuals?|escapees?|defectors?|refugees?|north koreans?|women|men|children|girls|detainees?|' +
  'asylum[ -]seekers?|migrants?|citizens?|nationals?|' +
  'personnes|réfugiés|réfugiées|nord-coréens|nord-coréennes|transfuges|femmes|enfants|migrants|détenus|' +
  'personas|refugiados|norcoreanos|norcoreanas|desertores|mujeres|niños|migrantes|detenidos|' +
  'человека?|беженц\\p{L}*|северокорейц\\p{L}*|перебежчик\\p{L}*|женщин\\p{L}*|детей|граждан\\p{L}*|задержанн\\p{L}*|' +
  'الأشخاص|أشخاص|شخصا|شخص|اللاجئين|لاجئا|لاجئين|لاجئ|الكوريين|كوريين|كوري|المنشقين|منشقين|نساء|امرأة';
const PEOPLE = foldPattern(PEOPLE_WORDS);

/** NUMBER_WORDS keyed by their normalised spelling (what the regex captures). */
const WORD_COUNTS: ReadonlyMap<string, number> = new Map([...NUMBER_WORDS].map(([k, v]) => [normalizeText(k), v]));
const WORDS = [...WORD_COUNTS.keys()].sort((a, b) => b.length - a.length).join('|');

/** Spaced scripts: [approx] number [of] [≤3 words] people-word. */
const SPACED = new RegExp(
  `(?<![\\p{L}\\p{N}$€£¥₩])(?<span>(?:(?<approx>${APPROX}) )?(?:(?<digits>\\d{1,3}(?:[,. ]\\d{3})+(?!\\d)|\\d+)(?: (?<mult>thousand|million|mille|mil|тысяч[аи]?))?|(?<words>${WORDS})))` +
    `(?<gap>(?: (?:of|de|d'|de los|de las|из))?(?: [\\p{L}'-]+){0,3}?) (?<who>${PEOPLE})(?![\\p{L}\\p{N}])`,
  'gu',
);

/** Korean: [약] 600 / 2천 / 1만 2천 / 수백 + [여] + 명. */
const KOREAN =
  /(?<span>(?:(?:약|무려|최소|최대|대략|총) ?)?(?:(?<num>\d[\d,]*(?: ?[십백천만](?: ?\d[\d,]*)?)*)|(?<vague>수십만|수만|수천|수백|수십|몇백|몇십|몇천))(?: ?여)? ?명)(?![단령예절령])/gu;

/** Chinese/Japanese: [约] 600 / 六百 / 数百 + [多/余] + 人/名 [余り]. */
const CJK =
  /(?<span>(?:(?:约|大约|近|超过|逾|至少|およそ|约) ?)?(?:(?<num>\d[\d,]*(?:[十百千万]\d*)*|[一二两三四五六七八九十百千万零]+)|(?<vague>数十万|数万|数千|数百|数十|几百|几十|几千|上百|上千|上万))(?:多|余)? ?[人名](?:余り|以上|あまり)?)(?![民口气质])/gu;

const YEAR_BEFORE = /(?:^|[\s(])(?:in|since|by|until|from|of|en|desde|в|году|عام|year)\s?$/u;
const MONEY = new RegExp(foldPattern('dollar|usd|euro|yuan|rmb|\\bwon\\b|\\byen\\b|pound|per |pesos?|dólar|доллар|рубл|юан|دولار'), 'u');
const CURRENCY_BEFORE = /[$€£¥₩]\s?$/u;

function isYear(n: number, raw: string): boolean {
  return /^\d{4}$/.test(raw) && n >= 1900 && n <= 2100;
}

/** Extracts counts of people from normalised text; `original` supplies the wording. */
export function extractPeopleNormalized(norm: NormalizedText, original: string, limit = 10): PeopleCount[] {
  const text = norm.text;
  const out: PeopleCount[] = [];
  const seen = new Set<string>();
  const add = (count: number, start: number, end: number): void => {
    if (!Number.isFinite(count) || count <= 0 || out.length >= limit) return;
    const o0 = norm.offsets[start] ?? 0;
    const o1 = norm.offsets[end] ?? original.length;
    const words = original.slice(o0, o1).replace(/\s+/g, ' ').trim();
    const key = `${count}|${words.toLowerCase()}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ count, text: words });
  };

  // Cheap gate: every pattern needs a digit, a number word or a CJK people word somewhere.
  for (const m of text.matchAll(SPACED)) {
    const g = m.groups ?? {};
    const span = g.span ?? '';
    const start = m.index;
    const before = text.slice(Math.max(0, start - 12), start);
    if (CURRENCY_BEFORE.test(before) || MONEY.test(g.gap ?? '')) continue;
    let count: number;
    if (g.digits !== undefined) {
      count = parseDigits(g.digits);
      if (isYear(count, g.digits) && (YEAR_BEFORE.test(before) || (g.gap ?? '').trim() !== '')) continue;
      if (g.mult !== undefined) count *= g.mult.startsWith('million') ? 1_000_000 : 1000;
    } else {
      count = WORD_COUNTS.get(g.words ?? '') ?? Number.NaN;
    }
    add(count, start, start + span.length);
  }
  if (!/[\uac00-\ud7a3]/.test(text) && !/[\u3040-\u30ff\u4e00-\u9fff]/.test(text)) return out;
  for (const m of text.matchAll(KOREAN)) {
    const g = m.groups ?? {};
    const count = g.vague !== undefined ? (CJK_VAGUE.get(g.vague) ?? Number.NaN) : parseCjkNumber(g.num ?? '');
    add(count, m.index, m.index + (g.span ?? '').length);
  }
  for (const m of text.matchAll(CJK)) {
    const g = m.groups ?? {};
    if (g.num !== undefined && /^\d{4}$/.test(g.num) && CURRENCY_BEFORE.test(text.slice(Math.max(0, m.index - 2), m.index))) continue;
    const count = g.vague !== undefined ? (CJK_VAGUE.get(g.vague) ?? Number.NaN) : parseCjkNumber(g.num ?? '');
    add(count, m.index, m.index + (g.span ?? '').length);
  }
  return out;
}

/**
 * Counts of people mentioned in `text` (en, fr, es, ru, ar, ko, zh, ja), e.g.
 * "about 600 defectors" → 600, "hundreds of North Koreans" → 200, "2천여 명" → 2000,
 * "数百人" → 200. Years and sums of money are not counted.
 */
export function extractPeople(text: string, limit = 10): PeopleCount[] {
  return extractPeopleNormalized(normalizeWithOffsets(text), text, limit);
}
