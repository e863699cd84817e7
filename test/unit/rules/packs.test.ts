import { describe, expect, it } from 'vitest';
import type { Classification, Decision } from '../../../src/domain/index.js';
import { compileClassifier, evaluate, loadRulePacks } from '../../../src/rules/index.js';
import type { Classifier } from '../../../src/rules/index.js';
import { explain, readFixture } from './fixture-sets.js';

const labelled = readFixture('labelled');

// The default configuration: the built-in nk-forced-repatriation pack, which includes its traps pack.
const nk: Classifier = compileClassifier(loadRulePacks([]));
const general: Classifier = compileClassifier(loadRulePacks(['refoulement-general']));

function classify(c: Classifier, title: string, text = ''): Classification {
  return c.classify({ title, text });
}

describe('labelled set', () => {
  it('is big and varied enough to mean something', () => {
    expect(labelled.length).toBeGreaterThanOrEqual(100);
    expect(new Set(labelled.map((l) => l.id)).size).toBe(labelled.length);
    const negatives = labelled.filter((l) => !l.label);
    expect(negatives.filter((l) => l.kind.startsWith('trap-')).length).toBeGreaterThanOrEqual(40);
    const positiveLangs = new Set(labelled.filter((l) => l.label).map((l) => l.lang));
    for (const lang of ['en', 'ko', 'zh', 'ja', 'fr', 'es', 'ru', 'ar']) expect(positiveLangs).toContain(lang);
  });

  it('default packs: recall (alert or review) ≥ 0.97 and alert precision ≥ 0.95', () => {
    const results = labelled.map((item) => ({ item, r: nk.classify({ title: item.title, text: item.text, lang: item.lang }) }));
    const report = evaluate(
      labelled,
      results.map(({ item, r }) => ({ id: item.id, decision: r.decision })),
    );
    const misses = results.filter(({ item, r }) => item.label && r.decision === 'ignore');
    const falseAlerts = results.filter(({ item, r }) => !item.label && r.decision === 'alert');
    if (misses.length + falseAlerts.length > 0) {
      console.log(
        `labelled set: recall ${report.recall.toFixed(3)}, alert precision ${report.alertPrecision.toFixed(3)}\n` +
          [...misses.map((m) => `MISS ${explain(m.item, m.r)}`), ...falseAlerts.map((f) => `FALSE ALERT ${explain(f.item, f.r)}`)].join(
            '\n',
          ),
      );
    }
    expect(report.missing).toEqual([]);
    expect(report.recall).toBeGreaterThanOrEqual(0.97);
    expect(report.alertPrecision).toBeGreaterThanOrEqual(0.95);
  });

  it('no trap item of the labelled set alerts', () => {
    const alerts = labelled
      .filter((l) => l.kind.startsWith('trap-'))
      .map((l) => ({ l, r: nk.classify({ title: l.title, text: l.text }) }))
      .filter(({ r }) => r.decision === 'alert')
      .map(({ l, r }) => explain(l, r));
    expect(alerts).toEqual([]);
  });
});

// Short items written for these tables (not in the fixture), one or more per trap and language.
const traps: Array<[kind: string, title: string, text: string]> = [
  [
    'war remains',
    'North Korea returns remains of US soldiers',
    'The repatriation of remains of American troops killed in the Korean War resumed at Panmunjom; the POW/MIA agency will identify them.',
  ],
  ['POW remains (ko)', '국군포로 유해 북한서 송환', '북한에 남아 있던 국군포로 유해가 송환돼 국립묘지에 안장됐다.'],
  ['volunteers remains (zh)', '志愿军烈士遗骸回国', '在韩志愿军烈士遗骸由专机接回沈阳，中韩双方举行交接仪式。'],
  [
    'profits',
    'Firms repatriate profits from China',
    'Korean companies repatriated dividends and profits from subsidiaries in China and North Korea-linked joint ventures wound down.',
  ],
  ['funds (ko)', '해외 법인 배당금 국내 송환', '대북 사업 중단 이후 해외 법인의 배당금 송환이 늘었다.'],
  [
    'other nationality',
    'Thailand forcibly deports Uyghurs to China',
    'Rights groups said the refoulement of 40 Uyghur detainees breached international law.',
  ],
  [
    'other nationality (fr)',
    'Le Pakistan expulse des Afghans',
    "Des milliers d'Afghans renvoyés de force, dénonce le HCR au nom du non-refoulement.",
  ],
  ['other nationality (ar)', 'لبنان يرحّل لاجئين سوريين', 'حذرت منظمات من الإعادة القسرية للاجئين السوريين.'],
  ['other nationality (zh)', '一批电诈嫌疑人被遣返回国', '在缅甸落网的电信诈骗嫌疑人被遣返回中国。'],
  [
    'defector life story',
    'Defector who fled through China opens a café in Seoul',
    'The North Korean defector spent four years in China before reaching Seoul; her café now employs other escapees.',
  ],
  [
    'missiles',
    'North Korea fires missiles as China urges calm',
    'Pyongyang launched two ballistic missiles; Beijing urged restraint and a return to talks.',
  ],
  [
    'sanctions workers',
    'UN panel: North Korean workers not repatriated by deadline',
    'Member states were required to repatriate North Korean overseas workers under sanctions resolutions.',
  ],
  [
    'sports',
    'North Korean football team returns home from China',
    "The North Korean women's football team was sent home to Pyongyang after the tournament in Hangzhou.",
  ],
  [
    'border trade',
    'Dandong–Sinuiju trade rebounds',
    'Trucks crossed the Yalu River bridge from Dandong to Sinuiju as Chinese tourists returned to North Korea.',
  ],
  [
    'KCNA 1960s repatriation',
    'KCNA hails 1959 repatriation of Koreans from Japan',
    'The repatriation programme brought Korean residents in Japan to the DPRK, KCNA said.',
  ],
  ['北送 of 1959 (ko)', '재일교포 북송사업 기념', '조총련은 재일교포 북송사업 65주년 행사를 열었다.'],
  ['대북송금 (ko)', '대북송금 의혹 재판', '대북 송금 사건의 항소심이 열렸다.'],
  [
    'US immigration',
    'ICE deports hundreds to Guatemala',
    'Immigration and Customs Enforcement said the deportation flights would continue.',
  ],
  [
    'voluntary return',
    'Seoul returns North Korean fishermen at their request',
    'Two North Korean fishermen who drifted south were handed over at sea after saying they wanted to go home.',
  ],
];

describe('nk-forced-repatriation: traps never alert', () => {
  it.each(traps)('%s', (_kind, title, text) => {
    const r = classify(nk, title, text);
    expect(r.decision, `${r.score}: ${r.rules.map((s) => `${s.rule}=${s.score}`).join(' ')}`).not.toBe('alert');
  });

  it('the plainest traps are ignored outright', () => {
    for (const [kind, title, text] of traps.filter(([k]) =>
      ['war remains', 'profits', 'other nationality', 'missiles', 'sports'].includes(k),
    )) {
      expect(classify(nk, title, text).decision, kind).toBe('ignore');
    }
  });
});

const languages: Array<[lang: string, title: string, text: string]> = [
  ['en', 'China forcibly repatriates 80 North Korean escapees', 'Chinese authorities sent them back through Tumen, activists said.'],
  [
    'en (no "forced")',
    'China sends dozens of N. Korean defectors back to the North',
    'The defectors had been detained in Jilin, sources said.',
  ],
  ['ko', '중국, 탈북민 50여 명 강제북송', '중국 공안이 구금했던 탈북민들이 북한으로 송환됐다.'],
  ['ko (spaced)', '탈북민 강제 송환 우려', '중국에 구금된 탈북민들이 북한 당국에 인계될 위기에 놓였다.'],
  ['zh', '中国强制遣返朝鲜脱北者', '人权组织说，被遣返者面临酷刑。'],
  ['zh (traditional)', '中國遣返北韓脫北者', '人權團體表示，被遣返者恐遭酷刑。'],
  ['ja', '中国、脱北者を北朝鮮に強制送還', '人権団体によると、送還された脱北者は拷問を受ける恐れがある。'],
  [
    'fr',
    'Rapatriement forcé de Nord-Coréens par la Chine',
    'Des ONG dénoncent le renvoi de transfuges nord-coréens vers la Corée du Nord.',
  ],
  ['es', 'China: repatriación forzada de desertores norcoreanos', 'Las ONG denuncian que fueron devueltos a Corea del Norte.'],
  ['ru', 'Китай: принудительная репатриация северокорейцев', 'Перебежчиков из КНДР принудительно вернули на родину.'],
  ['ar', 'الصين: الإعادة القسرية للفارين من كوريا الشمالية', 'قالت منظمات إن الصين أعادت قسراً عشرات الكوريين الشماليين.'],
];

describe('nk-forced-repatriation: every language alerts', () => {
  it.each(languages)('%s', (_lang, title, text) => {
    const r = classify(nk, title, text);
    expect(r.decision, `${r.score}: ${r.rules.map((s) => `${s.rule}=${s.score}`).join(' ')}`).toBe('alert');
  });

  it('a forced-return word alone, without a North Korea context, is not enough', () => {
    expect(classify(nk, 'Forced repatriation feared', 'Rights groups warn of refoulement.').decision).toBe('ignore');
    expect(classify(nk, '강제송환 우려', '불법체류자 강제 송환이 이어지고 있다.').decision).toBe('ignore');
  });
});

describe('nk-forced-repatriation: severity', () => {
  const sev = (title: string, text: string): [Decision, string] => {
    const r = classify(nk, title, text);
    return [r.decision, r.severity];
  };
  it('mass returns: ≥100 people is high, ≥500 critical', () => {
    expect(sev('China forcibly repatriates 20 North Korean defectors', 'They were held in Jilin.')).toEqual(['alert', 'medium']);
    expect(sev('China forcibly repatriates 150 North Korean defectors', 'They were held in Jilin.')).toEqual(['alert', 'high']);
    expect(sev('China forcibly repatriates 600 North Korean defectors', 'They were held in Jilin.')).toEqual(['alert', 'critical']);
  });
  it('imminent returns and children raise to high', () => {
    expect(sev('North Korean escapees face imminent forced repatriation', 'Chinese police hold them in Shenyang.')[1]).toBe('high');
    expect(sev('China forcibly repatriates North Korean defectors', 'Two children were among them.')[1]).toBe('high');
    expect(sev('탈북민 강제북송 임박', '중국 공안이 탈북민을 구금하고 있다.')[1]).toBe('high');
  });
});

describe('refoulement-general (optional pack)', () => {
  it('is not loaded by default', () => {
    expect(loadRulePacks([]).map((p) => p.pack)).toEqual(['nk-forced-repatriation', 'nk-forced-repatriation-traps']);
  });

  it.each([
    ['Pakistan deports thousands of Afghan refugees', 'UNHCR warned that forced returns put women at risk.'],
    ['Thailand deports 40 Uyghurs to China', 'UN experts called it a flagrant case of refoulement.'],
    ['Iran forcibly returns Afghan women to Taliban rule', 'Aid agencies said they had no chance to claim asylum.'],
    ['Le Pakistan expulse des Afghans', 'Le HCR dénonce des retours forcés.'],
    ['لبنان يرحّل لاجئين سوريين قسراً', 'حذرت منظمات من الإعادة القسرية.'],
  ])('alerts on refoulement of other nationalities: %s', (title, text) => {
    expect(classify(general, title, text).decision).toBe('alert');
  });

  it('ignores war remains and profits', () => {
    expect(classify(general, 'US receives Korean War remains', 'The repatriation of remains of soldiers missing in action.').decision).toBe(
      'ignore',
    );
    expect(classify(general, 'Firms repatriate profits', 'Companies repatriated dividends and profits from China.').decision).toBe(
      'ignore',
    );
  });

  it('loads together with the default pack without name clashes', () => {
    const both = compileClassifier(loadRulePacks(['nk-forced-repatriation', 'refoulement-general']));
    expect(both.classify({ title: 'China forcibly repatriates North Korean refugees', text: '' }).decision).toBe('alert');
  });
});

describe('pack includes', () => {
  it('loads the traps with the main pack, once, whether or not a config names them too', () => {
    const names = (list: string[]) => loadRulePacks(list).map((p) => p.pack);
    expect(names(['nk-forced-repatriation'])).toEqual(['nk-forced-repatriation', 'nk-forced-repatriation-traps']);
    expect(names(['nk-forced-repatriation', 'nk-forced-repatriation-traps'])).toEqual([
      'nk-forced-repatriation',
      'nk-forced-repatriation-traps',
    ]);
  });
});
