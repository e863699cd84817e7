/**
 * Rules: pack loading (YAML + zod), text normalisation, one compiled matcher for every term,
 * scoring with explanations, entities (people, places) and severity. Pure except file reads.
 */
export { compileClassifier, DEFAULT_THRESHOLDS, RuleCompileError } from './compile.js';
export type { Classifier, CompileOptions } from './compile.js';
export {
  builtinRulesDir,
  DEFAULT_RULE_PACKS,
  loadGazetteer,
  loadRulePackFile,
  loadRulePacks,
  resolvePackPath,
  RulePackError,
} from './load.js';
export type { RulePackIssue } from './load.js';
export { normalizeText, normalizeWithOffsets } from './normalize/normalize.js';
export type { NormalizedText } from './normalize/normalize.js';
export { evaluate } from './evaluate.js';
export type { EvalReport, EvalResult, LabelledItem } from './evaluate.js';
export { extractPeople, findPlaces } from './entities/index.js';
export { packSchema } from './schema.js';
export type { Gazetteer, Rule, RulePack, TermSpec, Thresholds } from './schema.js';
