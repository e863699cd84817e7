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
  ['euc-kr', 'cp949', ['euc-kr', 'euckr', 'x-euc-kr', 'cseuckr', 'ks_c_5601-1987', 'ks_c_5601-1989', 'ksc5601', 'ksc_5601', 'korean', 'iso-ir-149', 'csksc56011987', 'cp949', 'windows-949', 'x-windows-949', 'uhc', 'ms949']],
  ['shift_jis', 'cp932', ['shift_jis', 'shift-jis', 'sjis', 'x-sjis', 'ms_kanji', 'csshiftjis', 'windows-31j', 'ms932', 'cp932', 'windows-932']],
  ['euc-jp', 'eucjp', ['euc-jp', 'eucjp', 'x-euc-jp', 'cseucpkdfmtjapanese']],
  ['gbk', 'gb18030', ['gbk', 'gb2312', 'gb_2312', 'gb_2312-80', 'x-gbk', 'cp936', 'ms936', 'windows-936', 'chinese', 'csgb2312', 'csiso58gb231280', 'iso-ir-58', 'euc-cn', 'x-euc-cn']],
  ['gb18030', 'gb18030', ['gb18030']],
  ['big5', 'big5hkscs', ['big5', 'big-5', 'big5-hkscs', 'cn-big5', 'csbig5', 'x-x-big5', 'cp950', 'ms950', 'windows-950']],
  ['windows-1252', 'windows-1252', ['iso-8859-1', 'iso8859-1', 'iso_8859-1', 'latin1', 'l1', 'us-ascii', 'ascii', 'ansi_x3.4-1968', 'cp819', 'ibm819', 'iso-ir-100', 'csisolatin1', 'x-cp1252']],
  ['koi8-r', 'koi8-r', ['koi8-r', 'koi8', 'koi', 'cskoi8r', 'koi8_r']],
  ['koi8-u', 'koi8-u', ['koi8-u', 'koi8-ru']],
  ['windows-874', 'windows-874', ['windows-874', 'tis-620', 'iso-8859-11', 'dos-874']],
];

const BY_LABEL = new Map<string, Charset>(
  TABLE.flatMap(([name, codec, labels]) => labels.map((label): [string, Charset] => [label, { name, codec }])),
);

const LATIN_NAMES: Record<string, string> = {
  latin2: 'iso-8859-2', l2: 'iso-8859-2', latin3: 'iso-8859-3', latin4: 'iso-8859-4',
  cyrillic: 'iso-8859-5', arabic: 'iso-8859-6', greek: 'iso-8859-7', hebrew: 'iso-8859-8',
  latin5: 'iso-8859-9', latin6: 'iso-8859-10', latin9: 'iso-8859-15',
};

/**
 * Resolves a charset label (as found in headers or documents) to the name we report
 * and the codec that decodes it; undefined for labels iconv-lite cannot decode.
 */
export function resolveCharset(label: string): Charset | undefined {
  const key = label.trim().replace(/^["']|["']$/g, '').toLowerCase();
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

/**
 * Decodes a fetched body to text. Order: byte-order mark, then the Content-Type
 * charset, then the document's own declaration (XML prolog `encoding=`, HTML
 * `<meta charset>` / `http-equiv`), then UTF-8. A header claiming UTF-8 loses to the
 * document's declaration when the bytes are not valid UTF-8 (misconfigured servers).
 * The BOM is stripped. `charset` is the name actually used, e.g. "euc-kr".
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
    // Header said UTF-8 but the bytes disagree: trust the document if it says otherwise.
    if (header?.name === 'utf-8' && doc && doc.name !== 'utf-8') chosen = doc;
  }
  const charset = chosen ?? { name: 'utf-8', codec: 'utf8' };
  return { text: decodeWith(bytes, charset), charset: charset.name };
}
