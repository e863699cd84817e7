/**
 * Story pairs written for these tests (fictionalised wording modelled on how wires refile,
 * reprint and aggregate). Events are approximate; the text is ours.
 */
import type { Item } from '../../../src/domain/index.js';

export function item(partial: Partial<Item> & { title: string }): Item {
  return { sourceId: 'test', id: partial.title, summary: '', ...partial };
}

const yonhapBody =
  'SEOUL, Oct. 12 (Yonhap) -- China sent about 600 North Korean defectors back to the North earlier this week, ' +
  'a Seoul-based activist group said Thursday, in what would be the largest single forced repatriation in years. ' +
  'The Transitional Justice Working Group said buses carrying the defectors left detention centers in Jilin and ' +
  'Liaoning provinces on Monday night and crossed into North Korea through border posts at Dandong, Hunchun, ' +
  'Tumen and Changbai. Many of those sent back are believed to be women, the group said, citing sources in the ' +
  'region. The South Korean government said it had repeatedly asked Beijing to respect the principle of ' +
  'non-refoulement and to let the defectors travel to the countries they wish to go to. Seoul was checking the ' +
  'details of the report, a unification ministry official told reporters. Rights groups have warned that ' +
  'defectors returned to the North face torture, sexual violence and long terms in prison camps. China regards ' +
  'North Koreans who cross the border as illegal economic migrants rather than refugees and has returned them ' +
  'under a 1986 bilateral agreement. The repatriation came days after the Asian Games in Hangzhou ended.';

/** Yonhap original and its (LEAD) refile: same headline, the refile adds paragraphs at the end. */
export const yonhapOriginal = item({
  sourceId: 'yonhap-en',
  id: 'AEN20231012000300315',
  title: 'China repatriates about 600 N. Korean defectors: activists',
  url: 'https://en.yna.co.kr/view/AEN20231012000300315',
  summary: yonhapBody.slice(0, 220),
  text: yonhapBody,
  published: '2023-10-12T02:10:00Z',
});

export const yonhapLead = item({
  sourceId: 'yonhap-en',
  id: 'AEN20231012000351315',
  title: '(LEAD) China repatriates about 600 N. Korean defectors: activists',
  url: 'https://en.yna.co.kr/view/AEN20231012000351315?section=nk/nk',
  summary: yonhapBody.slice(0, 220),
  text:
    yonhapBody +
    ' Later on Thursday, the foreign ministry in Seoul said it had lodged a protest with the Chinese embassy. ' +
    'A ministry spokesperson said the government would raise the matter at the United Nations.',
  published: '2023-10-12T04:40:00Z',
});

/** Korea Herald reprint of the Yonhap copy: its own headline and dateline, the last paragraph cut. */
export const heraldReprint = item({
  sourceId: 'korea-herald',
  id: 'kh-20231012000612',
  title: 'About 600 NK defectors forcibly sent back by China, says activist group',
  url: 'https://www.koreaherald.com/view.php?ud=20231012000612&utm_source=rss',
  summary: 'China sent about 600 North Korean defectors back to the North earlier this week, a Seoul-based activist group said.',
  text: yonhapBody.replace('SEOUL, Oct. 12 (Yonhap) -- ', '').replace(/ The repatriation came days.*$/u, '') + ' (Yonhap)',
  published: '2023-10-12T05:02:00Z',
  publisher: 'The Korea Herald',
});

/** Google News carries the headline with " - Publisher" and a summary that is just the headline again. */
export const googleNewsCopy = item({
  sourceId: 'gnews-nk-repatriation',
  id: 'CBMiWmh0dHBzOi8vZW4ueW5hLmNvLmtyL3ZpZXcvQUVOMjAyMzEwMTIwMDAzMDAzMTXSAQA',
  title: 'China repatriates about 600 N. Korean defectors: activists - Yonhap News Agency',
  url: 'https://news.google.com/rss/articles/CBMiWmh0dHBzOi8vZW4ueW5hLmNvLmtyL3ZpZXcvQUVOMjAyMzEwMTIwMDAzMDAzMTXSAQA',
  summary: 'China repatriates about 600 N. Korean defectors: activists  Yonhap News Agency',
  publisher: 'Yonhap News Agency',
});

const dailyNkStatement =
  'The detainees were taken from the Tumen detention facility before dawn and handed to North Korean state ' +
  'security officers at the bridge, according to the statement. The families of several detainees said they had ' +
  'paid brokers to arrange passage to South Korea and had been arrested in raids on safe houses in Yanji in ' +
  'late February. Among those returned were two teenagers and a woman who had lived in China for more than ten ' +
  'years with a Chinese husband and child. North Korean authorities are expected to interrogate the returnees at ' +
  'the Onsong state security bureau before sending them to a holding center, the statement said. The group urged ' +
  'the Chinese government to halt further returns and allow the United Nations refugee agency access to the ' +
  'remaining detainees, of whom at least 40 are believed to be held in Jilin province.';

/** Daily NK and NK News on one April 2024 return: different intros, same rights-group statement carried at length. */
export const dailyNk = item({
  sourceId: 'dailynk',
  id: 'dailynk-2024-04-28-return',
  title: 'China hands over dozens of detained defectors at Tumen bridge',
  url: 'https://www.dailynk.com/english/china-hands-over-dozens-detained-defectors-tumen/',
  summary: 'Chinese authorities handed over about 60 defectors, a rights group said.',
  text:
    'Chinese authorities handed over about 60 North Korean defectors to the North on Friday, a Seoul-based ' +
    'rights group said in a statement on Sunday. ' +
    dailyNkStatement,
  published: '2024-04-28T09:00:00Z',
});

export const nkNews = item({
  sourceId: 'nknews',
  id: 'nknews-2024-04-29-tumen',
  title: 'Around 60 North Koreans forcibly returned from Jilin, rights group says',
  url: 'https://www.nknews.org/2024/04/around-60-north-koreans-forcibly-returned-from-jilin/',
  summary: 'About 60 North Koreans held in Jilin were returned across the Tumen river on Friday.',
  text:
    'China forcibly returned about 60 North Korean defectors across the Tumen on Friday, a Seoul-based ' +
    'rights group said in a statement on Sunday. ' +
    dailyNkStatement,
  published: '2024-04-29T01:30:00Z',
});

/** The same April event written up independently: no shared paragraphs. */
export const nkNewsOwnWords = item({
  sourceId: 'nknews',
  id: 'nknews-2024-04-29-own',
  title: 'Beijing sends back 60 escapees in latest deportation, activists say',
  url: 'https://www.nknews.org/2024/04/beijing-sends-back-60-escapees/',
  summary: 'Activists say dozens of escapees were deported.',
  text:
    'Beijing deported roughly sixty people who had fled North Korea, according to activists who track the ' +
    'border. The escapees had been rounded up in Yanji over the past two months and were driven to the Tumen ' +
    'crossing late last week. Their relatives in the South pleaded with officials in Seoul to intervene, but the ' +
    'deportation went ahead before any diplomatic response. Human rights advocates fear the returnees will be sent ' +
    'to labor camps after questioning by the Ministry of State Security in Onsong. This is the second large ' +
    'deportation since October, when hundreds were sent back after the Asian Games in Hangzhou.',
  published: '2024-04-29T06:00:00Z',
});

/** A UN statement and a news report about it: same subject, different texts. */
export const unStatement = item({
  sourceId: 'ohchr',
  id: 'ohchr-2023-10-13-dprk',
  title: 'China: UN Human Rights Office alarmed by reported forced return of North Koreans',
  url: 'https://www.ohchr.org/en/press-briefing-notes/2023/10/china-forced-return-north-koreans',
  summary: 'Spokesperson for the UN High Commissioner for Human Rights.',
  text:
    'We are deeply alarmed by reports that hundreds of people have been forcibly returned from China to the ' +
    "Democratic People's Republic of Korea this week. Many of them are believed to be women. Under international " +
    'law, the principle of non-refoulement prohibits returning any person to a country where there are substantial ' +
    'grounds for believing they would be at risk of torture or other irreparable harm. People returned to the DPRK ' +
    'are at high risk of arbitrary detention, torture and ill-treatment, sexual and gender-based violence and ' +
    'enforced disappearance. We call on the authorities to refrain from any further returns, to grant the Office and ' +
    'UNHCR access to those still held, and to ensure that no one is sent back in breach of international law.',
  published: '2023-10-13T10:00:00Z',
});

export const newsOnUnStatement = item({
  sourceId: 'yonhap-en',
  id: 'AEN20231013008700315',
  title: "UN rights office voices alarm over China's deportation of N. Korean defectors",
  url: 'https://en.yna.co.kr/view/AEN20231013008700315',
  summary: 'The U.N. human rights office expressed alarm on Friday.',
  text:
    'GENEVA, Oct. 13 (Yonhap) -- The U.N. human rights office on Friday expressed alarm over reports that China ' +
    'deported hundreds of North Korean defectors earlier this week, calling on Beijing to stop the returns. ' +
    'A spokesperson for the office told a regular press briefing in Geneva that those returned face a high risk of ' +
    'torture and detention. The remarks came after an activist group in Seoul said some 600 defectors had been sent ' +
    'back from Jilin and Liaoning provinces. South Korea has also expressed regret over the deportation and said it ' +
    'would keep raising the issue with China. Beijing has denied that the people are refugees.',
  published: '2023-10-13T14:00:00Z',
});

/** A Korean-language Yonhap flash and its 종합 refile. */
export const koreanFlash = item({
  sourceId: 'yonhap-ko',
  id: 'AKR20231012071000504',
  title: '[속보] 中, 탈북민 600여명 강제북송…"대부분 여성"',
  url: 'https://www.yna.co.kr/view/AKR20231012071000504',
  summary: '',
});
export const koreanRefile = item({
  sourceId: 'yonhap-ko',
  id: 'AKR20231012071051504',
  title: '中, 탈북민 600여명 강제북송…"대부분 여성"(종합)',
  url: 'https://www.yna.co.kr/view/AKR20231012071051504',
  summary: '',
});
