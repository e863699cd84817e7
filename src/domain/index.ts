export type {
  Alert,
  Classification,
  ClassifyInput,
  Decision,
  Entities,
  HtmlSelectors,
  Item,
  Match,
  PeopleCount,
  RuleScore,
  Severity,
  Source,
  SourceType,
  Story,
  Target,
  TriageState,
  TriageStatus,
} from './types.js';
export { SEVERITIES } from './types.js';
export { formatTarget, parseTarget } from './target.js';
