import iconv from 'iconv-lite';

/** A resolved charset: the name we report and the iconv-lite codec that decodes it. */
interface Charset {
  name: string;
  codec: string;
}

// Labels follow the WHATWG Encoding Standard where it differs from the IANA name:
// legacy labels decode with the superset browsers use (EUC-KR → CP949/UHC, GB2312 →
// GB18030, Big5 → Big5-HKSCS, ISO-8859-1/ASCII → windows-1252), because servers
// declare the narrow name and send the wide one.
const TABLE: Array<[name: string, codec: string, labels: string[]]> = [
  ['utf-8', 'utf8', ['utf-8', 'utf8', 'unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8', 'x-unicode20utf8']],
  ['utf-16le', 'utf-16le', ['utf-16', 'utf16', 'utf-16le', 'utf16le', 'ucs-2', 'unicode', 'csunicode', 'iso-10646-ucs-2', 'unicodefeff']],
  ['utf-16be', 'utf-16be', ['utf-16be', 'utf16be', 'unicodefffe']],
  [
    'euc-kr',
    'cp949',
    [
      'euc-kr',
      'euckr',
      'x-euc-kr',
      'cseuckr',
      'ks_c_5601-1987',
      'ks_c_5601-1989',
      'ksc5601',
      'ksc_5601',
      'korean',
      'iso-ir-149',
      'csksc56011987',
      'cp949',
      'windows-949',
      'x-windows-949',
      'uhc',
      'ms949',
    ],
  ],
  [
    'shift_jis',
    'cp932',
    ['shift_jis', 'shift-jis', 'sjis', 'x-sjis', 'ms_kanji', 'csshiftjis', 'windows-31j', 'ms932', 'cp932', 'windows-932'],
  ],
  ['euc-jp', 'eucjp', ['euc-jp', 'eucjp', 'x-euc-jp', 'cseucpkdfmtjapanese']],
  [
    'gbk',
    'gb18030',
    [
      'gbk',
      'gb2312',
      'gb_2312',
      'gb_2312-80',
      'x-gbk',
      'cp936',
      'ms936',
      'windows-936',
      'chinese',
      'csgb2312',
      'csiso58gb231280',
      'iso-ir-58',
      'euc-cn',
      'x-euc-cn',
    ],
  ],
  ['gb18030', 'gb18030', ['gb18030']],
  ['big5', 'big5hkscs', ['big5', 'big-5', 'big5-hkscs', 'cn-big5', 'csbig5', 'x-x-big5', 'cp950', 'ms950', 'windows-950']],
  [
    'windows-1252',
    'windows-1252',
    [
      'iso-8859-1',
      'iso8859-1',
      'iso_8859-1',
      'latin1',
      'l1',
      'us-ascii',
      'ascii',
      'ansi_x3.4-1968',
      'cp819',
      'ibm819',
      'iso-ir-100',
      'csisolatin1',
      'x-cp1252',
    ],
  ],
  ['koi8-r', 'koi8-r', ['koi8-r', 'koi8', 'koi', 'cskoi8r', 'koi8_r']],
  ['koi8-u', 'koi8-u', ['koi8-u', 'koi8-ru']],
  ['windows-874', 'windows-874', ['windows-874', 'tis-620', 'iso-8859-11', 'dos-874']],
];

const BY_LABEL = new Map<string, Charset>(
  TABLE.flatMap(([name, codec, labels]) => labels.map((label): [string, Charset] => [label, { name, codec }])),
);

const LATIN_NAMES: Record<string, string> = {
  latin2: 'iso-8859-2',
  l2: 'iso-8859-2',
  latin3: 'iso-8859-3',
  latin4: 'iso-8859-4',
  cyrillic: 'iso-8859-5',
  arabic: 'iso-8859-6',
  greek: 'iso-8859-7',
  hebrew: 'iso-8859-8',
  latin5: 'iso-8859-9',
  latin6: 'iso-8859-10',
  latin9: 'iso-8859-15',
};

/**
 * Resolves a charset label (as found in headers or documents) to the name we report
 * and the codec that decodes it; undefined for labels iconv-lite cannot decode.
 */
export function resolveCharset(label: string): Charset | undefined {
  const key = label
    .trim()
    .replace(/^["']|["']$/g, '')
    .toLowerCase();
  if (key === '') return undefined;
  const known = BY_LABEL.get(key);
  if (known) return known;
  const windows = /^(?:windows-|cp|x-cp|win)(125\d)$/.exec(key);
  if (windows) return { name: `windows-${windows[1]}`, codec: `windows-${windows[1]}` };
  const iso = /^iso[-_ ]?8859[-_ ]?(\d{1,2})(?:-i)?(?::\d+)?$/.exec(key);
  const isoName = iso ? `iso-8859-${iso[1]}` : LATIN_NAMES[key];
  if (isoName && iconv.encodingExists(isoName)) return { name: isoName, codec: isoName };
  return iconv.encodingExists(key) ? { name: key, codec: key } : undefined;
}

/** `charset=` parameter of a Content-Type header value. */
export function charsetFromContentType(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const match = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(contentType);
  return match ? (match[1] ?? match[2]) : undefined;
}

// Browsers prescan 1 KiB; feeds and CMS pages often put long comments or scripts
// before the declaration, so look a little further. Cheap: it is ASCII matching.
const SNIFF_BYTES = 16 * 1024;

/** Charset the document declares about itself (XML prolog, then HTML meta). */
function sniffDocument(bytes: Uint8Array): Charset | undefined {
  // ASCII-incompatible UTF-16 without BOM: "<?" as 16-bit units.
  if (bytes[0] === 0x3c && bytes[1] === 0x00 && bytes[2] === 0x3f && bytes[3] === 0x00) return resolveCharset('utf-16le');
  if (bytes[0] === 0x00 && bytes[1] === 0x3c && bytes[2] === 0x00 && bytes[3] === 0x3f) return resolveCharset('utf-16be');
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, SNIFF_BYTES)).toString('latin1');
  const prolog = /^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([^"']+)["']/i.exec(head);
  const meta = prolog ? undefined : /<meta\s[^>]*?charset\s*=\s*["']?\s*([\w.:()-]+)/i.exec(head);
  const label = prolog?.[1] ?? meta?.[1];
  const found = label === undefined ? undefined : resolveCharset(label);
  // We just read the declaration as ASCII, so the bytes cannot really be UTF-16.
  if (found && found.name.startsWith('utf-16')) return resolveCharset('utf-8');
  return found;
}

const BOMS: Array<[bytes: number[], label: string]> = [
  [[0xef, 0xbb, 0xbf], 'utf-8'],
  [[0xff, 0xfe], 'utf-16le'],
  [[0xfe, 0xff], 'utf-16be'],
];

function sniffBom(bytes: Uint8Array): { charset: Charset; length: number } | undefined {
  for (const [bom, label] of BOMS) {
    if (bom.every((b, i) => bytes[i] === b)) {
      const charset = resolveCharset(label);
      if (charset) return { charset, length: bom.length };
    }
  }
  return undefined;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function tryUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

function decodeWith(bytes: Uint8Array, charset: Charset): string {
  const text = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), charset.codec);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

// ---- Detection of undeclared legacy encodings -------------------------------------------

/**
 * How one decoded non-ASCII character counts for a candidate: `core` = the script the
 * encoding exists for, in its frequent block; `rare` = that script outside the frequent
 * block; `neutral` = punctuation any text may carry; `bad` = implausible for that
 * encoding's texts (private use, C1 controls, other scripts, stray symbols).
 */
type CharClass = 'core' | 'rare' | 'neutral' | 'bad';

interface Candidate {
  charset: Charset;
  classify(char: string, cp: number): CharClass;
  /** A language's most frequent characters: a right decode hits them, a wrong one rarely does. */
  frequent: ReadonlySet<string>;
  /** Characters a real text in this encoding shows at least a tenth of (kana for Japanese). */
  marker?: (cp: number) => boolean;
  /** Longest plausible run of consecutive core characters; longer runs count as rare. */
  maxRun?: number;
}

/** Per-candidate tally and score, reported so a surprising choice can be explained. */
export interface CharsetDetection {
  charset: Charset;
  score: number;
  counts: Record<CharClass | 'replacement' | 'frequent', number>;
}

const between = (cp: number, lo: number, hi: number): boolean => cp >= lo && cp <= hi;
const isHan = (cp: number): boolean => between(cp, 0x4e00, 0x9fff);
const isKana = (cp: number): boolean => between(cp, 0x3041, 0x30ff);
const isHangul = (cp: number): boolean => between(cp, 0xac00, 0xd7a3);
const UKRAINIAN = new Set([0x0404, 0x0406, 0x0407, 0x040e, 0x0454, 0x0456, 0x0457, 0x045e, 0x0490, 0x0491]);
const isRussian = (cp: number): boolean => between(cp, 0x0410, 0x044f) || cp === 0x0401 || cp === 0x0451;

/** Punctuation and symbols ordinary text in any of these languages uses. */
function isCommonPunctuation(cp: number): boolean {
  return (
    between(cp, 0x2010, 0x2027) ||
    between(cp, 0x3000, 0x303f) ||
    between(cp, 0xff01, 0xff5e) ||
    [0xa0, 0xa9, 0xab, 0xae, 0xb0, 0xb7, 0xbb, 0x20ac, 0x2116, 0x2122].includes(cp)
  );
}

/** Lead (and trail) byte of `char` re-encoded in `codec`: where it sits in the code table. */
function bytesOf(char: string, codec: string): [lead: number, trail: number] {
  const bytes = iconv.encode(char, codec);
  return [bytes[0] ?? 0, bytes[1] ?? 0];
}

/** A CJK candidate: `inBlock` says whether a character of its script sits in the frequent block. */
function cjk(
  name: string,
  codec: string,
  frequent: string,
  script: (cp: number) => boolean,
  inBlock: (lead: number, trail: number) => boolean,
  extra?: Partial<Candidate>,
): Candidate {
  const charset = { name, codec };
  const seen = new Map<string, CharClass>(); // re-encoding is the costly part; texts repeat characters
  return {
    charset,
    frequent: new Set(frequent),
    classify(char, cp) {
      if (!script(cp)) return isCommonPunctuation(cp) ? 'neutral' : 'bad';
      let kind = seen.get(char);
      if (kind === undefined) {
        const [lead, trail] = bytesOf(char, codec);
        kind = inBlock(lead, trail) ? 'core' : 'rare';
        if (seen.size < 20_000) seen.set(char, kind);
      }
      return kind;
    },
    ...extra,
  };
}

// Frequent blocks are the "level 1" sets of each standard (the everyday characters):
// KS X 1001 Hangul rows B0–C8, GB2312 level 1 rows B0–D7, Big5 frequent A440–C67E,
// JIS X 0208 level 1 (Shift_JIS 889F–9872, EUC-JP rows B0–CF); kana count as core.
// Order breaks ties: Korean first (this bot's main sources), 1252 before 1251 because a
// text whose only non-ASCII bytes are quotes and dashes is Western.
const CANDIDATES: Candidate[] = [
  cjk(
    'euc-kr',
    'cp949',
    '이다의는에하고을가로지서한기사자대리도으수나시인정일어아있해국를적구전라상주부게제우장보여들성문북',
    (cp) => isHangul(cp) || isHan(cp),
    // Hanja (CJK) do appear in Korean headlines (北, 中) but sparsely: never core.
    (lead, trail) => lead >= 0xb0 && lead <= 0xc8 && trail >= 0xa1,
  ),
  cjk(
    'gb18030',
    'gb18030',
    '的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里民新北',
    isHan,
    (lead, trail) => lead >= 0xb0 && lead <= 0xd7 && trail >= 0xa1,
  ),
  cjk(
    'big5',
    'big5hkscs',
    '的一是不了在人有我他這個們中來上大為和國地到以說時要就出會可也你對生能而子那得於著下自之年過發後作裡民新北',
    isHan,
    (lead, trail) => lead >= 0xa4 && (lead < 0xc6 || (lead === 0xc6 && trail <= 0x7e)),
  ),
  cjk(
    'shift_jis',
    'cp932',
    'のにはをがでとたしている日本人年中国大者',
    (cp) => isKana(cp) || isHan(cp),
    (lead, trail) => lead === 0x82 || lead === 0x83 || (lead >= 0x88 && (lead < 0x98 || (lead === 0x98 && trail <= 0x72))),
    { marker: isKana },
  ),
  cjk(
    'euc-jp',
    'eucjp',
    'のにはをがでとたしている日本人年中国大者',
    (cp) => isKana(cp) || isHan(cp),
    (lead) => lead === 0xa4 || lead === 0xa5 || (lead >= 0xb0 && lead <= 0xcf),
    { marker: isKana },
  ),
  {
    charset: { name: 'windows-1252', codec: 'windows-1252' },
    // Chosen to avoid the bytes of Russian's commonest letters (о е а и н т с р в л).
    frequent: new Set('éüöäßçóê'),
    // Accented letters sit inside ASCII words; a Cyrillic or CJK text read as 1252 runs them together.
    maxRun: 2,
    classify: (_char, cp) =>
      between(cp, 0xc0, 0xff) && cp !== 0xd7 && cp !== 0xf7
        ? 'core'
        : [0x152, 0x153, 0x160, 0x161, 0x178, 0x17d, 0x17e].includes(cp)
          ? 'rare'
          : isCommonPunctuation(cp)
            ? 'neutral'
            : 'bad',
  },
  {
    charset: { name: 'windows-1251', codec: 'windows-1251' },
    frequent: new Set('оеаинтсрвл'),
    // Ukrainian and Belarusian letters are plausible; Serbian/Macedonian ones (1251's 0x80–0x9F,
    // where 1252 keeps its quotes and dashes) mostly mean the text was not 1251 at all.
    classify: (_char, cp) => (isRussian(cp) ? 'core' : UKRAINIAN.has(cp) ? 'rare' : isCommonPunctuation(cp) ? 'neutral' : 'bad'),
  },
];

// Enough text to judge by; decoding the whole body seven times would be waste.
const DETECT_BYTES = 64 * 1024;

function tally(bytes: Uint8Array, candidate: Candidate): CharsetDetection {
  let text = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), candidate.charset.codec);
  // The sample may end mid-character.
  if (bytes.byteLength === DETECT_BYTES && text.endsWith('\uFFFD')) text = text.slice(0, -1);
  const counts = { core: 0, rare: 0, neutral: 0, bad: 0, replacement: 0, frequent: 0 };
  let markers = 0;
  let total = 0;
  let run = 0;
  for (const char of text) {
    const cp = char.codePointAt(0) ?? 0;
    if (cp < 0x80) {
      run = 0;
      continue;
    }
    total++;
    run++;
    if (cp === 0xfffd) {
      counts.replacement++;
      continue;
    }
    const kind = candidate.classify(char, cp);
    counts[kind === 'core' && candidate.maxRun !== undefined && run > candidate.maxRun ? 'rare' : kind]++;
    if (candidate.frequent.has(char)) counts.frequent++;
    if (candidate.marker?.(cp)) markers++;
  }
  // Japanese without kana is implausible: a Korean or Chinese text read as Japanese is all kanji.
  const core = candidate.marker && markers < 0.1 * (counts.core + counts.rare) ? markers + (counts.core - markers) / 2 : counts.core;
  const points = core + 0.25 * counts.rare + counts.frequent - counts.bad - 5 * counts.replacement;
  return { charset: candidate.charset, score: total === 0 ? 0 : points / total, counts };
}

/**
 * Guesses the encoding of bytes that declare none and are not valid UTF-8. UTF-8 is kept
 * when valid multi-byte sequences outnumber broken ones two to one (a UTF-8 feed with
 * stray bytes; legacy text forms valid UTF-8 sequences only by rare accident). Otherwise
 * each candidate (CP949, GB18030, Big5, Shift_JIS, EUC-JP, windows-1252, windows-1251)
 * decodes a sample and scores per non-ASCII character:
 * +1 core script, +0.25 rare in script, +1 frequent character, −1 implausible, −5 U+FFFD.
 * The highest score wins, earlier candidates on ties; if none scores above zero,
 * windows-1252. Undefined means "keep UTF-8".
 * `ranking` lists every candidate, best first, for logs and tests.
 */
export function detectLegacyCharset(bytes: Uint8Array): (CharsetDetection & { ranking: CharsetDetection[] }) | undefined {
  const sample = bytes.subarray(0, DETECT_BYTES);
  const utf8 = new TextDecoder('utf-8').decode(sample);
  let valid = 0;
  let broken = 0;
  for (const char of utf8) {
    if (char === '\uFFFD') broken++;
    else if (char.charCodeAt(0) >= 0x80) valid++;
  }
  if (broken === 0 || valid >= 2 * broken) return undefined;
  const ranking = CANDIDATES.map((candidate) => tally(sample, candidate));
  const best = ranking.reduce((a, b) => (b.score > a.score ? b : a));
  ranking.sort((a, b) => b.score - a.score);
  // Nothing reads as text: windows-1252 at least keeps every byte visible (browsers' last resort).
  const fallback = ranking.find((r) => r.charset.name === 'windows-1252');
  return { ...(best.score > 0 || !fallback ? best : fallback), ranking };
}

/**
 * Decodes a fetched body to text. Order: byte-order mark, then the Content-Type
 * charset, then the document's own declaration (XML prolog `encoding=`, HTML
 * `<meta charset>` / `http-equiv`), then UTF-8. A header claiming UTF-8 loses to the
 * document's declaration when the bytes are not valid UTF-8 (misconfigured servers).
 * When nothing but (at most) a UTF-8 header speaks and the bytes are not UTF-8, the
 * legacy encoding is detected (see {@link detectLegacyCharset}) instead of filling the
 * text with U+FFFD. The BOM is stripped. `charset` is the name actually used, e.g. "euc-kr".
 */
export function decodeBody(bytes: Uint8Array, contentType?: string): { text: string; charset: string } {
  const bom = sniffBom(bytes);
  if (bom) return { text: decodeWith(bytes.subarray(bom.length), bom.charset), charset: bom.charset.name };

  const headerLabel = charsetFromContentType(contentType);
  const header = headerLabel === undefined ? undefined : resolveCharset(headerLabel);
  const doc = sniffDocument(bytes);

  let chosen = header ?? doc ?? resolveCharset('utf-8');
  if (chosen?.name === 'utf-8') {
    const text = tryUtf8(bytes);
    if (text !== undefined) return { text, charset: 'utf-8' };
    if (header?.name === 'utf-8' && doc && doc.name !== 'utf-8') {
      // Header said UTF-8 but the bytes disagree: trust the document if it says otherwise.
      chosen = doc;
    } else if (!doc || doc.name === 'utf-8') {
      // Undeclared (or only a default UTF-8 header / prolog, which the bytes contradict).
      const detected = detectLegacyCharset(bytes);
      if (detected) return { text: decodeWith(bytes, detected.charset), charset: detected.charset.name };
    }
  }
  const charset = chosen ?? { name: 'utf-8', codec: 'utf8' };
  return { text: decodeWith(bytes, charset), charset: charset.name };
}
