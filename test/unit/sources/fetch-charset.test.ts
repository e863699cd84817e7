import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeBody, resolveCharset } from '../../../src/sources/fetch/index.js';

/** A small RSS document whose prolog declares `encoding` (or none). */
function feed(title: string, encoding?: string): string {
  const prolog = encoding === undefined ? '<?xml version="1.0"?>' : `<?xml version="1.0" encoding="${encoding}"?>`;
  return `${prolog}\n<rss version="2.0"><channel><title>${title}</title><item><title>${title}</title></item></channel></rss>`;
}

const CASES: Array<{ label: string; codec: string; title: string; charset: string }> = [
  { label: 'EUC-KR', codec: 'euc-kr', title: '탈북민 강제북송 우려', charset: 'euc-kr' },
  { label: 'ks_c_5601-1987', codec: 'cp949', title: '중국 공안, 탈북자 600명 북송', charset: 'euc-kr' },
  { label: 'Shift_JIS', codec: 'shiftjis', title: '脱北者の強制送還に懸念', charset: 'shift_jis' },
  { label: 'EUC-JP', codec: 'euc-jp', title: '脱北者の強制送還', charset: 'euc-jp' },
  { label: 'GB2312', codec: 'gbk', title: '中国强制遣返脱北者', charset: 'gbk' },
  { label: 'GBK', codec: 'gbk', title: '遣返朝鲜难民', charset: 'gbk' },
  { label: 'GB18030', codec: 'gb18030', title: '遣返朝鲜难民 𠮷', charset: 'gb18030' },
  { label: 'Big5', codec: 'big5', title: '中國強制遣返脫北者', charset: 'big5' },
  { label: 'windows-1251', codec: 'win1251', title: 'Принудительная репатриация', charset: 'windows-1251' },
  { label: 'KOI8-R', codec: 'koi8-r', title: 'Беженцы из КНДР', charset: 'koi8-r' },
  { label: 'ISO-8859-2', codec: 'iso-8859-2', title: 'Przymusowa repatriacja uchodźców', charset: 'iso-8859-2' },
  { label: 'ISO-8859-1', codec: 'latin1', title: 'Réfugiés nord-coréens rapatriés', charset: 'windows-1252' },
  { label: 'windows-1252', codec: 'win1252', title: '“Refoulement” – €', charset: 'windows-1252' },
];

describe('decodeBody', () => {
  it.each(CASES)('decodes $label declared in the Content-Type header', ({ label, codec, title, charset }) => {
    const bytes = iconv.encode(feed(title), codec);
    const out = decodeBody(bytes, `application/rss+xml; charset=${label}`);
    expect(out.charset).toBe(charset);
    expect(out.text).toContain(`<title>${title}</title>`);
    expect(out.text).not.toContain('\uFFFD');
  });

  it.each(CASES)('decodes $label declared only in the XML prolog', ({ label, codec, title, charset }) => {
    const out = decodeBody(iconv.encode(feed(title, label), codec), 'application/xml');
    expect(out.charset).toBe(charset);
    expect(out.text).toContain(title);
    expect(out.text).not.toContain('\uFFFD');
  });

  it('reads <meta charset> and http-equiv in HTML', () => {
    const a = iconv.encode('<html><head><meta charset="euc-kr"><title>강제북송</title></head></html>', 'euc-kr');
    expect(decodeBody(a, 'text/html')).toMatchObject({ charset: 'euc-kr', text: expect.stringContaining('강제북송') });
    const b = iconv.encode(
      '<html><head><meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS"><title>送還</title></head></html>',
      'shiftjis',
    );
    expect(decodeBody(b)).toMatchObject({ charset: 'shift_jis', text: expect.stringContaining('<title>送還</title>') });
  });

  it('strips a UTF-8 BOM and lets it win over a wrong header', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(feed('강제송환'))]);
    const out = decodeBody(bytes, 'text/xml; charset=windows-1251');
    expect(out.charset).toBe('utf-8');
    expect(out.text.startsWith('<?xml')).toBe(true);
    expect(out.text).toContain('강제송환');
  });

  it('decodes UTF-16LE and UTF-16BE with a BOM, stripping it', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(feed('북송', 'UTF-16'), 'utf-16le')]);
    expect(decodeBody(le)).toEqual({ text: feed('북송', 'UTF-16'), charset: 'utf-16le' });
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(feed('북송', 'UTF-16'), 'utf-16be')]);
    expect(decodeBody(be)).toEqual({ text: feed('북송', 'UTF-16'), charset: 'utf-16be' });
  });

  it('decodes UTF-16LE without a BOM from the shape of "<?"', () => {
    const out = decodeBody(iconv.encode(feed('送還', 'UTF-16'), 'utf-16le'));
    expect(out).toEqual({ text: feed('送還', 'UTF-16'), charset: 'utf-16le' });
  });

  it('prefers the document when the header says UTF-8 but the bytes are not', () => {
    const bytes = iconv.encode(feed('Принудительная', 'windows-1251'), 'win1251');
    const out = decodeBody(bytes, 'application/rss+xml; charset=utf-8');
    expect(out.charset).toBe('windows-1251');
    expect(out.text).toContain('Принудительная');
  });

  it('trusts the header over a prolog that disagrees when the header is not UTF-8', () => {
    // Proxies transcode without rewriting the prolog: the header describes the bytes.
    const bytes = iconv.encode(feed('Беженцы', 'UTF-8'), 'win1251');
    expect(decodeBody(bytes, 'text/xml; charset="windows-1251"')).toMatchObject({
      charset: 'windows-1251',
      text: expect.stringContaining('Беженцы'),
    });
  });

  it('falls back to UTF-8 with no declaration, and ignores unknown labels', () => {
    expect(decodeBody(Buffer.from(feed('강제북송')))).toEqual({ text: feed('강제북송'), charset: 'utf-8' });
    const out = decodeBody(Buffer.from(feed('북송', 'x-no-such-charset')), 'text/xml; charset=bogus');
    expect(out).toEqual({ text: feed('북송', 'x-no-such-charset'), charset: 'utf-8' });
  });

  it('round-trips any text encoded as UTF-8 (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (s) => {
        const out = decodeBody(Buffer.from(s, 'utf8'), 'text/plain; charset=utf-8');
        // A leading U+FEFF would be read as a BOM: that is the one expected loss.
        expect(out.text).toBe(s.startsWith('\uFEFF') ? s.slice(1) : s);
      }),
      { numRuns: 200 },
    );
  });
});

describe('resolveCharset', () => {
  it.each([
    ['x-euc-kr', 'euc-kr'],
    ['KS_C_5601-1987', 'euc-kr'],
    ['cp949', 'euc-kr'],
    ['gb2312', 'gbk'],
    ['x-sjis', 'shift_jis'],
    ['Windows-31J', 'shift_jis'],
    ['big5-hkscs', 'big5'],
    ['cp1251', 'windows-1251'],
    ['latin2', 'iso-8859-2'],
    ['ISO_8859-5', 'iso-8859-5'],
    ['"utf8"', 'utf-8'],
    ['us-ascii', 'windows-1252'],
  ])('maps %s to %s', (label, name) => {
    expect(resolveCharset(label)?.name).toBe(name);
  });
  it('returns undefined for labels nothing can decode', () => {
    expect(resolveCharset('x-klingon')).toBeUndefined();
  });
});
