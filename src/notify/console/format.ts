import type { Alert } from '../../domain/index.js';
import { alsoReportedText, formatScore, matchedTerms, peopleText, placesText, ruleLines, triageText } from '../summary.js';
import { cleanText, fitText, formatDate, safeHttpUrl } from '../text.js';
import { triageLabel } from '../triage-actions.js';

// Long enough to read in a terminal, short enough that one noisy feed cannot flood it.
const LINE_MAX = 500;

function line(label: string, value: string | undefined): string | undefined {
  return value ? `  ${label.padEnd(9)} ${fitText(cleanText(value), LINE_MAX)}` : undefined;
}

/**
 * A readable multi-line block for one alert (severity, title, link, source, why).
 * Pure. Terminal control characters (ANSI escapes, C0/C1, bidi overrides) are stripped from feed text.
 */
export function formatConsoleAlert(alert: Alert, event: 'post' | 'edit' = 'post'): string {
  const heading = `[${alert.severity.toUpperCase()}] ${alert.decision}${event === 'edit' ? ' (updated)' : ''} · score ${formatScore(alert.score)}`;
  const why = matchedTerms(alert)
    .map((t) => `${t.term} (${t.field})`)
    .join(', ');
  const lines = [
    heading,
    line('Title', alert.title) ?? '  Title     (untitled)',
    line('Link', safeHttpUrl(alert.url)),
    line('Source', alert.sourceName),
    line('Published', formatDate(alert.published)),
    line('Why', why || undefined),
    ...ruleLines(alert).map((r) => line('Rule', r)),
    line('People', peopleText(alert)),
    line('Places', placesText(alert)),
    line('Also', alsoReportedText(alert)),
    line('Triage', triageText(alert, triageLabel)),
    line('Alert', alert.id),
  ];
  return `${lines.filter((l): l is string => l !== undefined).join('\n')}\n`;
}
