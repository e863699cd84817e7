/**
 * Sample feeds for `refwatch demo`: three invented outlets whose items appear over about
 * half a minute, so a newcomer sees a baseline, a new alert, the same story from a second
 * outlet (an edit, not a repost), a borderline item for review and an ignored trap.
 * Every item is fictional and marked as a demo.
 */

export interface DemoItem {
  guid: string;
  title: string;
  description: string;
  link: string;
  /** Seconds after the demo starts when the item shows up in its feed. */
  appearsAfterS: number;
}

export interface DemoFeed {
  path: string;
  sourceId: string;
  name: string;
  items: DemoItem[];
}

const HOST = 'https://demo.refoulement-watch.invalid';

export const DEMO_FEEDS: readonly DemoFeed[] = [
  {
    path: '/un-news.xml',
    sourceId: 'demo-un',
    name: 'Demo UN wire',
    items: [
      {
        guid: 'demo-un-1',
        title: '[DEMO] Human Rights Council opens its autumn session in Geneva',
        description: 'The Council will hear reports on several countries over four weeks.',
        link: `${HOST}/un/council-session`,
        appearsAfterS: 0,
      },
      {
        guid: 'demo-un-2',
        title: '[DEMO] UN experts urge China not to forcibly repatriate North Korean escapees held in Dandong',
        description:
          'Independent experts said about 60 North Korean escapees, most of them women, are detained near the border ' +
          'in Dandong and face imminent forced repatriation to the DPRK, where they risk torture and detention in ' +
          'prison camps. They called on China to respect the principle of non-refoulement.',
        link: `${HOST}/un/experts-urge-china`,
        appearsAfterS: 8,
      },
    ],
  },
  {
    path: '/ngo.xml',
    sourceId: 'demo-ngo',
    name: 'Demo NGO',
    items: [
      {
        guid: 'demo-ngo-1',
        title: '[DEMO] Annual report on press freedom in East Asia',
        description: 'Our yearly review of media freedom across the region.',
        link: `${HOST}/ngo/press-freedom`,
        appearsAfterS: 0,
      },
      {
        guid: 'demo-ngo-2',
        title: '[DEMO] Remains of Korean War soldiers repatriated in ceremony',
        description: 'The remains of soldiers killed in the Korean War were repatriated in a ceremony at the airport.',
        link: `${HOST}/ngo/war-remains`,
        appearsAfterS: 12,
      },
      {
        guid: 'demo-ngo-3',
        title: '[DEMO] Families fear for relatives detained after crossing into China',
        description:
          'Relatives of North Korean defectors detained in Jilin province say they have had no news for weeks and ' +
          'fear they could be sent back to North Korea.',
        link: `${HOST}/ngo/families-fear`,
        appearsAfterS: 20,
      },
    ],
  },
  {
    path: '/news.xml',
    sourceId: 'demo-news',
    name: 'Demo Korea Daily',
    items: [
      {
        guid: 'demo-news-1',
        title: '[DEMO] Seoul stocks close higher on chip rally',
        description: 'The main index rose 1.2 percent.',
        link: `${HOST}/news/stocks`,
        appearsAfterS: 0,
      },
      {
        guid: 'demo-news-2',
        title: '(LEAD) [DEMO] UN experts urge China not to forcibly repatriate North Korean escapees held in Dandong',
        description:
          'UN independent experts on Tuesday urged China to halt the forced repatriation of some 60 North Korean ' +
          'escapees detained in Dandong, warning they face torture and prison camps if sent back to the DPRK.',
        link: `${HOST}/news/un-experts-urge-china?utm_source=rss`,
        appearsAfterS: 16,
      },
    ],
  },
];

/** The RSS 2.0 text of a demo feed as it looks `elapsedS` seconds into the demo. */
export function renderDemoFeed(feed: DemoFeed, elapsedS: number): string {
  const visible = feed.items.filter((item) => item.appearsAfterS <= elapsedS);
  const start = Date.now() - elapsedS * 1000;
  const items = visible
    .map((item) => {
      const published = new Date(start + item.appearsAfterS * 1000).toUTCString();
      return [
        '    <item>',
        `      <title>${escapeXml(item.title)}</title>`,
        `      <link>${escapeXml(item.link)}</link>`,
        `      <guid isPermaLink="false">${item.guid}</guid>`,
        `      <pubDate>${published}</pubDate>`,
        `      <description>${escapeXml(item.description)}</description>`,
        '    </item>',
      ].join('\n');
    })
    .reverse()
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>${escapeXml(feed.name)}</title>
    <link>${HOST}</link>
    <description>Refoulement Watch demo feed</description>
${items}
  </channel>
</rss>
`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
