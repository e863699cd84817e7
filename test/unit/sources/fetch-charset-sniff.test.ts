import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeBody } from '../../../src/sources/fetch/index.js';
import { detectLegacyCharset } from '../../../src/sources/fetch/charset.js';

/** An RSS feed that declares no encoding anywhere (prolog without `encoding=`). */
function feed(titles: string[], description = ''): string {
  const items = titles
    .map((t, i) => `<item><title>${t}</title><link>https://news.example.org/a/${i}</link><description>${description}</description></item>`)
    .join('');
  return `<?xml version="1.0"?>\n<rss version="2.0"><channel><title>${titles[0] ?? ''}</title>${items}</channel></rss>`;
}

const CASES: Array<{ codec: string; charset: string; titles: string[]; description?: string }> = [
  {
    codec: 'euc-kr',
    charset: 'euc-kr',
    titles: ['탈북민 강제북송 우려', '유엔 "중국, 탈북민 강제북송 중단하라"…국제사회 우려 확산'],
    description: '통일부는 중국 공안에 체포된 탈북민들이 북한으로 송환될 가능성이 있다고 밝혔다.',
  },
  { codec: 'cp949', charset: 'euc-kr', titles: ['北 송환 탈북민 600명 행방 묘연', '통일부, 강제북송 관련 입장 발표'] },
  {
    codec: 'gbk',
    charset: 'gb18030',
    titles: ['联合国人权专家对中国遣返朝鲜难民表示关切', '中国强制遣返脱北者'],
    description: '据报道，数百名脱北者在边境被拘留后被遣返回朝鲜。',
  },
  { codec: 'gb18030', charset: 'gb18030', titles: ['朝鲜难民被强制遣返', '国际特赦组织呼吁停止遣返'] },
  {
    codec: 'big5',
    charset: 'big5',
    titles: ['聯合國人權專家關切中國遣返北韓難民', '脫北者遭遣返 香港團體抗議'],
    description: '據報導，數百名脫北者在邊境被拘留後遭遣返回北韓。',
  },
  {
    codec: 'shiftjis',
    charset: 'shift_jis',
    titles: ['脱北者の強制送還に懸念', '中国、脱北者を強制送還　国連が懸念表明'],
    description: '国連の特別報告者は、中国に対して送還の中止を求めた。',
  },
  { codec: 'euc-jp', charset: 'euc-jp', titles: ['中国が脱北者を北朝鮮へ送還した', '脱北者の強制送還'] },
  {
    codec: 'win1251',
    charset: 'windows-1251',
    titles: ['Китай депортировал беженцев из КНДР', 'Принудительная репатриация'],
    description: 'По данным правозащитников, сотни человек были возвращены в Северную Корею.',
  },
  {
    codec: 'win1252',
    charset: 'windows-1252',
    titles: ['Réfugiés nord-coréens rapatriés de force', 'Flüchtlinge aus Nordkorea – „Zwangsrückführung“'],
  },
];

describe('decodeBody with no declared charset', () => {
  it.each(CASES)('detects undeclared $codec ($titles.0)', ({ codec, charset, titles, description }) => {
    const xml = feed(titles, description);
    const bytes = iconv.encode(xml, codec);
    // The premise: these bytes are not UTF-8, so the old fallback would have produced U+FFFD.
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const out = decodeBody(bytes, 'application/rss+xml');
    expect(out.charset).toBe(charset);
    expect(out.text).toBe(xml);
    expect(out.text).not.toContain('\uFFFD');
  });

  it.each(CASES)('also detects $codec when only a default "charset=utf-8" header contradicts the bytes', ({ codec, charset, titles }) => {
    const xml = feed(titles);
    const out = decodeBody(iconv.encode(xml, codec), 'text/xml; charset=utf-8');
    expect(out).toEqual({ text: xml, charset });
  });

  it('detects an HTML page with no <meta charset>', () => {
    const html = '<!doctype html><html><head><title>탈북민 강제북송</title></head><body><h1>중국, 탈북민 강제북송 재개</h1></body></html>';
    expect(decodeBody(iconv.encode(html, 'euc-kr'), 'text/html')).toEqual({ text: html, charset: 'euc-kr' });
  });

  it('leaves plain ASCII and valid UTF-8 alone', () => {
    const ascii = feed(['Forced repatriation of North Korean escapees']);
    expect(decodeBody(Buffer.from(ascii))).toEqual({ text: ascii, charset: 'utf-8' });
    const utf8 = feed(['탈북민 강제북송', '中国强制遣返', '脱北者の強制送還', 'Принудительная']);
    expect(decodeBody(Buffer.from(utf8, 'utf8'))).toEqual({ text: utf8, charset: 'utf-8' });
    expect(detectLegacyCharset(Buffer.from(utf8, 'utf8'))).toBeUndefined();
  });

  it('keeps UTF-8 for a UTF-8 feed with one stray byte instead of re-reading it as a legacy charset', () => {
    const good = feed(['탈북민 강제북송 우려', '유엔, 중국에 강제북송 중단 촉구']);
    const bytes = Buffer.concat([Buffer.from(good, 'utf8'), Buffer.from([0xb0]), Buffer.from('<!-- end -->')]);
    const out = decodeBody(bytes);
    expect(out.charset).toBe('utf-8');
    expect(out.text).toContain('탈북민 강제북송 우려');
    expect(out.text.split('\uFFFD')).toHaveLength(2);
  });

  it('does not override an explicit non-UTF-8 declaration', () => {
    // Korean bytes mislabelled as Big5 stay Big5: declarations are the operator's to fix, not ours to guess.
    const bytes = iconv.encode(feed(['탈북민 강제북송']), 'euc-kr');
    expect(decodeBody(bytes, 'text/xml; charset=big5').charset).toBe('big5');
  });
});

describe('detectLegacyCharset', () => {
  it('explains its choice: the winner has no replacements and leads the ranking', () => {
    const result = detectLegacyCharset(iconv.encode(feed(['탈북민 강제북송 우려']), 'euc-kr'));
    expect(result?.charset.name).toBe('euc-kr');
    expect(result?.counts.replacement).toBe(0);
    expect(result?.counts.core).toBeGreaterThan(0);
    expect(result?.ranking[0]?.charset.name).toBe('euc-kr');
    expect(result?.ranking).toHaveLength(7);
    // Korean bytes also read as valid Chinese (all GB2312 level-1 hanzi): only frequency separates them.
    const gb = result?.ranking.find((r) => r.charset.name === 'gb18030');
    expect(gb?.counts.replacement).toBe(0);
    expect(gb?.score).toBeLessThan(result?.score ?? 0);
  });

  it('tells GB18030 from Big5 in both directions', () => {
    const simplified = iconv.encode(feed(['中国强制遣返脱北者']), 'gbk');
    const traditional = iconv.encode(feed(['中國強制遣返脫北者']), 'big5');
    expect(detectLegacyCharset(simplified)?.charset.name).toBe('gb18030');
    expect(detectLegacyCharset(traditional)?.charset.name).toBe('big5');
  });

  it('prefers windows-1252 when the only non-ASCII bytes are quotes and dashes', () => {
    const bytes = iconv.encode(feed(['“Refoulement” – a report']), 'win1252');
    expect(decodeBody(bytes)).toMatchObject({ charset: 'windows-1252', text: expect.stringContaining('“Refoulement” –') });
  });

  it('judges only the first 64 KiB, so a large body costs a bounded amount of work', () => {
    const title = '탈북민 강제북송 우려 ';
    const big = iconv.encode(feed([title.repeat(10_000)]), 'euc-kr');
    expect(big.byteLength).toBeGreaterThan(128 * 1024);
    const started = performance.now();
    const out = decodeBody(big);
    expect(out.charset).toBe('euc-kr');
    expect(out.text).not.toContain('\uFFFD');
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
