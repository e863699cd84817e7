/**
 * Classifier throughput and scale benchmark.
 *   npx tsx bench/classify.ts            (10 000 articles; BENCH_ITEMS=2000 for a quick run)
 * Generates a mixed-language corpus (3–6 kB per article, ~3% on-topic), classifies it with the
 * default packs, then with packs holding 10× and 100× as many (synthetic) terms.
 * Targets: ≥ 20 MB/s per core with the default packs; ≤ 2× slower at 10× terms.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ClassifyInput } from '../src/domain/index.js';
import { builtinRulesDir, compileClassifier, DEFAULT_RULE_PACKS, loadRulePacks, packSchema } from '../src/rules/index.js';
import type { RulePack } from '../src/rules/index.js';

/** Deterministic PRNG (mulberry32) so runs are comparable. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Filler vocabularies written for this benchmark (everyday news words per language).
const VOCAB: Record<string, string[]> = {
  en: 'the government said on Monday that markets would open after the holiday season while officials in the capital reviewed new budget plans for schools hospitals and roads and the opposition party called for more debate about trade energy prices weather forecasts sports results and local elections people return home after the match report notes growth inflation'.split(
    ' ',
  ),
  fr: 'le gouvernement a annoncé lundi que les marchés ouvriront après les fêtes tandis que les responsables de la capitale examinent le budget des écoles hôpitaux et routes et que le parti appelle à un débat sur le commerce énergie météo sport élections'.split(
    ' ',
  ),
  es: 'el gobierno anunció el lunes que los mercados abrirán después de las fiestas mientras los funcionarios de la capital revisan el presupuesto para escuelas hospitales y carreteras y la oposición pidió más debate sobre comercio energía clima deportes elecciones'.split(
    ' ',
  ),
  ru: 'правительство заявило в понедельник что рынки откроются после праздников а чиновники столицы рассматривают бюджет школ больниц и дорог оппозиция призвала к дебатам о торговле энергии погоде спорте выборах'.split(
    ' ',
  ),
  ar: 'قالت الحكومة يوم الاثنين إن الأسواق ستفتح بعد العطلة بينما يراجع المسؤولون في العاصمة الميزانية الجديدة للمدارس والمستشفيات والطرق ودعت المعارضة إلى مزيد من النقاش حول التجارة والطاقة والطقس والرياضة والانتخابات'.split(
    ' ',
  ),
  ko: '정부는 월요일 연휴가 끝난 뒤 시장이 다시 열린다고 밝혔다 수도의 관계자들은 학교와 병원 도로 예산을 검토했고 야당은 무역 에너지 날씨 스포츠 선거에 대한 토론을 요구했다 중국 북한 경제 성장 물가'.split(
    ' ',
  ),
  zh: '政府周一表示 节日过后市场将重新开放 首都官员正在审查学校 医院和道路的新预算 反对党呼吁就贸易 能源 天气 体育和地方选举展开更多讨论 经济增长 物价 中国 边境'.split(
    ' ',
  ),
  ja: '政府は月曜日 休暇の後に市場が再開すると発表した 首都の当局者は学校や病院 道路の新しい予算を検討し 野党は貿易 エネルギー 天気 スポーツ 選挙について議論を求めた 経済 成長'.split(
    ' ',
  ),
};

const ON_TOPIC: Record<string, string[]> = {
  en: [
    'Chinese authorities forcibly repatriated about 600 North Korean defectors from Dandong',
    'escapees detained in Jilin face refoulement to the DPRK',
  ],
  fr: ['la Chine a rapatrié de force des centaines de réfugiés nord-coréens'],
  es: ['China repatrió por la fuerza a unos 200 desertores norcoreanos'],
  ru: ['Китай принудительно вернул около 600 северокорейцев в КНДР'],
  ar: ['أعادت الصين قسرا حوالي 600 شخص من الكوريين الشماليين'],
  ko: ['중국이 탈북민 수백 명을 강제 북송했다', '단둥에서 탈북민 600명이 강제북송'],
  zh: ['中国强制遣返数百名脱北者', '丹东 强制遣返 朝鲜 脱北者'],
  ja: ['中国が脱北者600人余りを強制送還した'],
};

const LANGS = Object.keys(VOCAB);
const enc = new TextEncoder();

/** A corpus of `count` articles, 3–6 kB of UTF-8 each, mixed languages, ~3% on-topic. */
export function generateCorpus(count: number, seed = 42): { items: ClassifyInput[]; bytes: number } {
  const rand = rng(seed);
  const items: ClassifyInput[] = [];
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const lang = LANGS[Math.floor(rand() * LANGS.length)] ?? 'en';
    const words = VOCAB[lang] ?? [];
    const spaced = !['zh', 'ja'].includes(lang);
    const target = 3000 + Math.floor(rand() * 3000);
    const parts: string[] = [];
    let size = 0;
    const onTopic = rand() < 0.03;
    while (size < target) {
      const w = words[Math.floor(rand() * words.length)] ?? '';
      parts.push(w);
      size += enc.encode(w).length + 1;
      if (rand() < 0.06) parts.push(spaced ? '.\n' : '。');
      if (onTopic && rand() < 0.01) parts.push((ON_TOPIC[lang] ?? [])[0] ?? '');
    }
    const text = parts.join(spaced ? ' ' : '');
    const title = parts.slice(0, 8).join(spaced ? ' ' : '');
    bytes += enc.encode(text).length + enc.encode(title).length;
    items.push({ title, text, lang });
  }
  return { items, bytes };
}

/** A stand-in pack used only when config/rules/nk-forced-repatriation.yaml is absent. */
function fallbackPack(): RulePack {
  return packSchema.parse({
    pack: 'bench-fallback',
    thresholds: { alert: 10, review: 5 },
    rules: [
      {
        id: 'core',
        all: [['north korea*', 'dprk', '탈북*', '脱北*', '북한', '朝鲜', 'северокоре*', 'nord-coré*', 'norcorean*']],
        terms: [
          { t: 'forcibly repatriat*', w: 6 },
          { t: 'refoulement', w: 4 },
          { t: '강제북송', w: 6 },
          { t: '强制遣返', w: 6 },
          { t: '強制送還', w: 6 },
          { t: 'rapatrié de force', w: 6 },
          { t: 'принудительно вернул*', w: 6 },
          { t: 'sent back', w: 3 },
        ],
        near: [{ a: ['repatriat*', 'sent back'], b: ['north korean*', 'defector*'], within: 8, w: 4 }],
      },
      { id: 'context', terms: ['dandong', 'tumen', 'jilin', '단둥', '丹东', 'china', '중국', '中国', 'detained', 'escapee*'], maxScore: 4 },
    ],
  });
}

/** Synthetic extra terms: corpus-like words, phrases and CJK n-grams so the automaton works hard. */
function syntheticPack(termCount: number, seed: number): RulePack {
  const rand = rng(seed);
  const terms: Array<{ t: string; w: number }> = [];
  const seen = new Set<string>();
  while (terms.length < termCount) {
    const lang = LANGS[Math.floor(rand() * LANGS.length)] ?? 'en';
    const words = VOCAB[lang] ?? [];
    const a = words[Math.floor(rand() * words.length)] ?? 'x';
    const b = words[Math.floor(rand() * words.length)] ?? 'y';
    const suffix = Math.floor(rand() * 1e6).toString(36);
    const shape = rand();
    // Mostly near-misses (real prefix + random tail) so matches stay rare, as in a real pack.
    // 2% real word pairs (they do match the corpus, as some real terms would).
    const t =
      shape < 0.45 ? `${a} ${b}${suffix}` : shape < 0.75 ? `${a}${suffix}*` : shape < 0.98 ? `${a.slice(0, 2)}${suffix}` : `${a} ${b}`;
    if (seen.has(t) || t.trim() === '') continue;
    seen.add(t);
    terms.push({ t, w: 0.01 });
  }
  const rules = [];
  for (let i = 0; i < terms.length; i += 50) rules.push({ id: `syn-${i / 50}`, terms: terms.slice(i, i + 50) });
  return packSchema.parse({ pack: `synthetic-${seed}`, rules });
}

interface RunResult {
  terms: number;
  compileMs: number;
  seconds: number;
  /** CPU time of this process (fairer than wall time on a shared machine). */
  cpuSeconds: number;
  itemsPerSec: number;
  /** MB of UTF-8 input per CPU second. */
  mbPerCpuSec: number;
  mbPerSec: number;
  alerts: number;
  reviews: number;
}

function run(packs: RulePack[], items: ClassifyInput[], bytes: number): RunResult {
  const t0 = performance.now();
  const classifier = compileClassifier(packs);
  const compileMs = performance.now() - t0;
  // Warm-up so the JIT and the per-character tables settle before timing.
  for (let i = 0; i < Math.min(300, items.length); i++) classifier.classify(items[i] as ClassifyInput);
  let alerts = 0;
  let reviews = 0;
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  for (const item of items) {
    const d = classifier.classify(item).decision;
    if (d === 'alert') alerts++;
    else if (d === 'review') reviews++;
  }
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return {
    terms: classifier.termCount,
    compileMs: Math.round(compileMs),
    seconds: Math.round(seconds * 100) / 100,
    cpuSeconds: Math.round(cpuSeconds * 100) / 100,
    itemsPerSec: Math.round(items.length / seconds),
    mbPerCpuSec: Math.round((bytes / 1e6 / cpuSeconds) * 10) / 10,
    mbPerSec: Math.round((bytes / 1e6 / seconds) * 10) / 10,
    alerts,
    reviews,
  };
}

/** Runs the whole benchmark and returns the figures (also printed by the CLI entry). */
export async function runClassifyBench(options: { items?: number } = {}): Promise<object> {
  const count = options.items ?? 10_000;
  const { items, bytes } = generateCorpus(count);
  const realPack = existsSync(join(builtinRulesDir(), `${DEFAULT_RULE_PACKS[0] ?? ''}.yaml`));
  const base = realPack ? loadRulePacks([]) : [fallbackPack()];
  const baseTerms = compileClassifier(base).termCount;
  const defaults = run(base, items, bytes);
  const x10 = run([...base, syntheticPack(baseTerms * 9, 10)], items, bytes);
  const x100 = run([...base, syntheticPack(baseTerms * 99, 100)], items, bytes);
  return {
    corpus: { items: count, mb: Math.round(bytes / 1e5) / 10, packs: realPack ? 'default' : 'fallback (generated)' },
    default: defaults,
    x10: { ...x10, slowdown: Math.round((x10.cpuSeconds / defaults.cpuSeconds) * 100) / 100 },
    x100: { ...x100, slowdown: Math.round((x100.cpuSeconds / defaults.cpuSeconds) * 100) / 100 },
    targets: { mbPerSec: 20, maxSlowdownAt10x: 2 },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const items = process.env.BENCH_ITEMS ? Number(process.env.BENCH_ITEMS) : undefined;
  runClassifyBench(items !== undefined ? { items } : {}).then(
    (result) => console.log(JSON.stringify(result, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
