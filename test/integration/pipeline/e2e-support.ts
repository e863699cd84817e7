/**
 * Stories and waits shared by the end-to-end pipeline tests. The stories are invented,
 * each clearly about forced repatriation (so the built-in pack alerts on it) and different
 * enough from the others that the story store never merges two of them.
 */
import type { FeedEntry, TestBot } from '../../helpers/bot.js';

const STORIES: ReadonlyArray<[string, string]> = [
  [
    'China forcibly repatriates 60 North Korean escapees detained in Dandong',
    'Chinese police sent about 60 North Korean escapees, most of them women, back across the border from Dandong on Tuesday, activists said. They face torture and prison camps.',
  ],
  [
    'Rights group says Jilin police forcibly returned 12 defectors to North Korea',
    'A Seoul-based rights group said police in Jilin province handed twelve North Korean defectors to border guards for repatriation last week despite appeals from their families in South Korea.',
  ],
  [
    'UN experts alarmed by forced repatriation of North Korean women from Liaoning',
    'Independent UN human rights experts voiced alarm that women held in Liaoning detention centres were forcibly repatriated to the DPRK, where they risk sexual violence and forced labour.',
  ],
  [
    'Families in Seoul plead as Beijing forcibly repatriates relatives who fled North Korea',
    'Relatives gathered outside the Chinese embassy in Seoul begging Beijing not to repatriate their family members, North Korean escapees arrested in Shenyang, back to Pyongyang.',
  ],
  [
    'Escapee arrested in Yanbian faces forced return to the North, activists warn',
    'Activists warned that a young North Korean escapee arrested during a raid on a safe house in Yanbian could be forcibly returned within days, citing a broker in contact with her family.',
  ],
  [
    'South Korea urges China to stop refoulement of North Korean refugees after mass return',
    'Seoul summoned a Chinese diplomat after reports that hundreds of North Korean refugees were sent back in a single night, calling the mass refoulement a violation of international law.',
  ],
  [
    'Defectors held in Tumen detention centre repatriated, NGO reports',
    'An NGO monitoring the border said detainees held in the Tumen detention centre, including a teenage boy, were repatriated to North Korea by bus early on Friday morning.',
  ],
  [
    'North Korean escapees caught in Laos handed to China and forcibly returned',
    'A group of North Korean escapees arrested near the Laos border was handed to Chinese police and later forcibly returned to North Korea, according to a missionary who helped them.',
  ],
  [
    'Beijing rejects criticism over repatriation of North Korean defectors to Sinuiju',
    'China rejected international criticism after dozens of North Korean defectors were repatriated to Sinuiju, saying they were illegal economic migrants rather than refugees.',
  ],
  [
    'Mother of three among North Koreans deported from Hunchun, say relatives',
    'Relatives said a mother of three, detained in Hunchun after years in hiding, was among North Koreans deported back to the DPRK, where families fear she will be sent to a political prison camp.',
  ],
];

/** Distinct alerting story number `n` (0-based, wraps) as a feed entry with id `guid`. */
export function story(guid: string, n: number): FeedEntry {
  const [title, description] = STORIES[n % STORIES.length] ?? ['', ''];
  return {
    guid,
    title,
    description,
    link: `https://news.example.org/story/${guid}`,
    published: new Date(Date.now() - 3_600_000).toISOString(),
  };
}

/** How many times the feed server has been asked for `path`. */
export function feedRequests(t: TestBot, path: string): number {
  return t.feeds.requests.filter((r) => r.path === path).length;
}

/** Waits until `path` has been polled `n` more times (so a repost would have had its chance). */
export async function pollsAfter(t: TestBot, path: string, n: number): Promise<void> {
  const target = feedRequests(t, path) + n;
  await t.waitFor(`${n} more polls of ${path}`, () => feedRequests(t, path) >= target);
}

/** Waits until analyze and notify have nothing waiting, running or delayed. */
export async function idle(t: TestBot, timeoutMs?: number): Promise<void> {
  const { analyze, notify } = t.bot.runtime.queues;
  await t.waitFor(
    'analyze and notify queues to drain',
    async () => {
      const counts = await Promise.all([analyze, notify].map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'prioritized')));
      return counts.every((c) => Object.values(c).every((v) => v === 0));
    },
    timeoutMs,
  );
}
