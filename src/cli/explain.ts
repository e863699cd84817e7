/** Human-readable explanation of one classification, for `refwatch check`. Pure. */
import type { Classification } from '../domain/index.js';

/** What was classified, for the header. */
export interface Explained {
  title: string;
  /** URL or file it came from. */
  origin: string;
  chars: number;
}

/** Renders decision, score, each rule's why, matched terms with snippets, people, places, severity. */
export function explain(subject: Explained, result: Classification): string {
  const verdict = {
    alert: 'ALERT: this would be posted to the alerts channels',
    review: 'REVIEW: this would wait for a moderator in the triage channel',
    ignore: 'IGNORE: this would not be posted',
  }[result.decision];
  const lines = [
    `${subject.origin}`,
    `title: ${subject.title || '(none)'}`,
    `text: ${subject.chars} characters`,
    '',
    `decision: ${verdict}`,
    `score:    ${result.score}`,
    `severity: ${result.severity}`,
    '',
    result.rules.length === 0 ? 'rules: none scored' : 'rules:',
  ];
  for (const rule of result.rules) {
    lines.push(`  ${rule.rule}  ${rule.score >= 0 ? '+' : ''}${rule.score}${rule.tags?.length ? `  [${rule.tags.join(', ')}]` : ''}`);
    for (const why of rule.why) lines.push(`    - ${why}`);
  }
  lines.push('', result.matches.length === 0 ? 'matched terms: none' : 'matched terms:');
  for (const match of result.matches) {
    lines.push(`  "${match.term}" in ${match.field} (${match.rule}, ${match.weight >= 0 ? '+' : ''}${match.weight})`);
    // Snippets come with their own … marks where they were cut.
    if (match.snippet !== '') lines.push(`      ${match.snippet.replace(/\s+/g, ' ')}`);
  }
  const people = result.entities.people.map((p) => `${p.text} (≈${p.count})`);
  lines.push('', `people: ${people.length === 0 ? 'none found' : people.join(', ')}`);
  lines.push(`places: ${result.entities.places.length === 0 ? 'none found' : result.entities.places.join(', ')}`);
  return `${lines.join('\n')}\n`;
}
