import type { Alert } from '../../../src/domain/index.js';

/** A realistic alert; override any field. Text written for these tests. */
export function buildAlert(overrides: Partial<Alert> = {}): Alert {
  return {
    id: 'al_3f9c2a7b1e',
    storyId: 'st_3f9c2a7b1e',
    decision: 'alert',
    severity: 'high',
    score: 9.5,
    title: 'Dozens of North Korean escapees moved to Dandong ahead of repatriation',
    url: 'https://news.example.org/2026/08/dandong-transfer?id=42',
    sourceId: 'example-news',
    sourceName: 'Example News',
    published: '2026-08-01T05:30:00Z',
    discoveredAt: '2026-08-01T05:41:12Z',
    matches: [
      {
        rule: 'nk-forced-repatriation/core-en',
        term: 'repatriation',
        field: 'title',
        snippet: 'moved to Dandong ahead of repatriation',
        weight: 4,
      },
      {
        rule: 'nk-forced-repatriation/places',
        term: 'Dandong',
        field: 'text',
        snippet: 'detention centre in Dandong, near the border',
        weight: 2,
      },
    ],
    rules: [
      {
        rule: 'nk-forced-repatriation/core-en',
        pack: 'nk-forced-repatriation',
        score: 7,
        why: ['title: repatriation (+4)', 'text: escapees (+3)'],
      },
      { rule: 'nk-forced-repatriation/places', pack: 'nk-forced-repatriation', score: 2.5, why: ['text: Dandong (+2.5)'] },
    ],
    entities: { people: [{ count: 60, text: 'about 60' }], places: ['Dandong'] },
    alsoReportedBy: ['Seoul Daily', 'NK Watch Radio'],
    ...overrides,
  };
}

/** The same alert with every free-text field set to `text`. */
export function alertWithText(text: string, overrides: Partial<Alert> = {}): Alert {
  return buildAlert({
    title: text,
    sourceName: text,
    matches: [{ rule: text, term: text, field: 'title', snippet: text, weight: 1 }],
    rules: [{ rule: text, pack: text, score: 1, why: [text] }],
    entities: { people: [{ count: 3, text }], places: [text] },
    alsoReportedBy: [text, text],
    triage: { status: 'claimed', by: text, claimedBy: text, reason: text, at: text },
    ...overrides,
  });
}
