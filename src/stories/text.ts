/**
 * Text folding shared by the story keys: titles are cleaned of wire refile tags and
 * publisher suffixes, then everything is tokenised into features for SimHash.
 */

/** Han, Hiragana, Katakana and Hangul: scripts written without word spaces (or short eojeol). */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+/gu;
const WORD = /[\p{L}\p{N}]+/gu;

/**
 * Words inside a bracket group that mark a refile or a rubric rather than the story:
 * Yonhap "(LEAD)", "(2nd LD)", "(News Focus)", Korean "(종합)", "(2보)", "[속보]", "[단독]", Reuters-style "Update 2".
 */
const TAG_WORDS = [
  'urgent',
  'lead',
  'ld',
  '\\d+(?:st|nd|rd|th)\\s+ld',
  'news focus',
  'news analysis',
  'yonhap interview',
  'interview',
  'feature',
  'update(?:\\s*\\d+)?',
  'updated',
  'exclusive',
  'breaking',
  'correction',
  'corrected',
  'recast',
  'refile',
  'refiled',
  'photo',
  'photos',
  'video',
  'graphics?',
  'factbox',
  'explainer',
  'analysis',
  'editorial',
  'op-?ed',
  'live',
  '속보',
  '단독',
  '긴급',
  '종합\\s*\\d*\\s*보?',
  '\\d+\\s*보',
  '1보',
  '사진',
  '영상',
  '포토',
  '인터뷰',
  '해설',
  '분석',
  '르포',
  '사설',
  '速報',
  '独家',
  '快讯',
  '更新',
];
const TAG_GROUP = new RegExp(
  `[(\\[【<〈「]\\s*(?:${TAG_WORDS.join('|')})\\s*(?:[,;/·]\\s*(?:${TAG_WORDS.join('|')})\\s*)*[)\\]】>〉」]`,
  'giu',
);
/** Unbracketed prefixes: "UPDATE 2-", "EXCLUSIVE-", "BREAKING:". */
const TAG_PREFIX = /^\s*(?:update\s*\d*|exclusive|breaking(?:\s+news)?|urgent|refile|corrected)\s*[-:–—]\s*/iu;
/** A trailing " - Publisher" / " | Publisher" (Google News, Bing, most <title>s). */
const SUFFIX = /\s+[-|–—]\s+([^-|–—]+)$/u;

/** Titles that recur for different events (UN briefings, newsletters): never a story key on their own. */
const RECURRING =
  /\b(?:daily|weekly|monthly|noon|press)\s+(?:press\s+)?(?:briefing|digest|roundup|round-up|update|newsletter|summary|highlights)\b|\bnewsletter\b|\bpodcast\b|\bin\s+brief\b|\bhighlights\s+of\b/iu;

/** Removes wire refile tags from a title, keeping everything else as written. */
export function stripWireTags(title: string): string {
  let out = title.normalize('NFKC').replace(TAG_GROUP, ' ');
  // Prefixes can stack ("UPDATE 1-EXCLUSIVE-…"); two passes cover what wires do.
  for (let i = 0; i < 2; i += 1) out = out.replace(TAG_PREFIX, '');
  return out.replace(/\s+/gu, ' ').trim();
}

/**
 * Removes a trailing " - Publisher" or " | Publisher": always when it names the item's
 * publisher, otherwise only when it is short enough to be a name (≤ 5 words, ≤ 40 chars)
 * and leaves a title of at least 3 words behind.
 */
export function stripPublisherSuffix(title: string, publisher?: string): string {
  let out = title.trim();
  for (let i = 0; i < 2; i += 1) {
    const m = SUFFIX.exec(out);
    if (!m || m[1] === undefined) break;
    const tail = m[1].trim();
    const head = out.slice(0, m.index).trim();
    const namesPublisher = publisher !== undefined && fold(tail) === fold(publisher);
    const looksLikeName = tail.length <= 40 && tail.split(/\s+/u).length <= 5 && head.split(/\s+/u).length >= 3;
    if (!namesPublisher && !looksLikeName) break;
    out = head;
  }
  return out;
}

/** NFKC, lower case, "N. Korea" → "north korea", punctuation to spaces, whitespace collapsed. */
export function fold(text: string): string {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      // Wires abbreviate in headlines but not in bodies; folding both keeps the features aligned.
      .replace(/\bn\.\s?k\.?(?=\s|$)/gu, 'north korea ')
      .replace(/\bnk(?=\s|$)/gu, 'north korea')
      .replace(/\bn\.\s?(?=korea)/gu, 'north ')
      .replace(/\bs\.\s?(?=korea)/gu, 'south ')
      .replace(/['’`]s\b/gu, '')
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim()
  );
}

/** Counts what makes a title distinctive: Latin-style words and CJK characters. */
export function titleWeight(folded: string): { words: number; cjkChars: number } {
  let words = 0;
  let cjkChars = 0;
  for (const token of folded.split(' ')) {
    if (token === '') continue;
    const cjk = [...token].filter((ch) => CJK.test(ch)).length;
    cjkChars += cjk;
    if (cjk === 0) words += 1;
  }
  return { words, cjkChars };
}

/** True when the title recurs for unrelated events (briefings, newsletters). */
export function isRecurringTitle(title: string): boolean {
  return RECURRING.test(title);
}

/** Wire datelines and credits ("SEOUL, Oct. 12 (Yonhap) --", "(서울=연합뉴스) 김철수 기자 =", "(END)"): reprints drop or rewrite them. */
const DATELINE =
  /^\s*(?:[\p{Lu}][\p{L} .'-]{1,40},\s*)?(?:[\p{Lu}][\p{L}]{2,8}\.?\s+\d{1,2}\s*)?\((?:yonhap|afp|reuters|ap|xinhua|kyodo|upi|ani|efe|dpa)\)\s*(?:--|—|–|-)\s*/iu;
const DATELINE_CAPS = /^\s*[\p{Lu}][\p{Lu} .,'-]{1,40}\s*(?:--|—|–)\s*/u;
const DATELINE_KO = /^\s*\([^)=]{1,20}=[^)]{1,20}\)\s*(?:[^=\s]{1,10}\s*){0,3}기자\s*=\s*/u;
const CREDIT = /\s*(?:\((?:yonhap|afp|reuters|ap|end)\)|\[(?:yonhap|afp|reuters)\]|\(끝\))\s*$/iu;

/** Removes a leading dateline and a trailing agency credit from article text. */
export function stripDateline(text: string): string {
  let out = text.replace(DATELINE, '').replace(DATELINE_KO, '').replace(DATELINE_CAPS, '');
  for (let i = 0; i < 2; i += 1) out = out.replace(CREDIT, '');
  return out;
}

/** Common English function words: shingles of content words survive light copy-editing. */
const STOP = new Set(
  (
    'a an the of to in on at for from by with and or but as is are was were be been being it its this that these those ' +
    'he she they them his her their we our you your i has have had will would could should may might said says say ' +
    'also after before about into over than then there which who whom whose what when where while not no'
  ).split(' '),
);

/**
 * Tokens for SimHash: content words for Latin-like scripts; character bigrams inside CJK runs
 * (Korean, Chinese and Japanese headlines share few whole words across outlets).
 */
export function tokens(text: string): string[] {
  const out: string[] = [];
  for (const m of fold(text).matchAll(WORD)) {
    const word = m[0];
    if (CJK.test(word)) {
      for (const run of word.match(CJK_RUN) ?? []) {
        const chars = [...run];
        if (chars.length === 1) out.push(run);
        for (let i = 0; i + 1 < chars.length; i += 1) out.push(`${chars[i]}${chars[i + 1]}`);
      }
      const rest = word.replace(CJK_RUN, ' ').trim();
      for (const r of rest.split(' ')) if (r !== '' && !STOP.has(r)) out.push(r);
    } else if (!STOP.has(word)) {
      out.push(word);
    }
  }
  return out;
}
