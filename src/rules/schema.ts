import { z } from 'zod';

/** Severity names, lowest first (mirrors domain SEVERITIES; zod needs a literal tuple). */
const severity = z.enum(['low', 'medium', 'high', 'critical']);

const termText = z
  .string()
  .trim()
  .min(1, 'a term may not be empty')
  .refine((t) => !t.slice(0, -1).includes('*'), {
    message: 'a "*" wildcard is only allowed at the end of a term (prefix match)',
  });

/** A weighted term: a bare string (weight 1) or `{ t, w }`. */
export const termSchema = z.union([termText, z.strictObject({ t: termText, w: z.number().finite().default(1) })]);

const termList = z.array(termText).min(1, 'a term list may not be empty');

const nearSchema = z.strictObject({
  a: termList,
  b: termList,
  within: z.number().int().min(0).max(200),
  w: z.number().finite(),
});

export const ruleSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'rule ids are letters, digits, ".", "_" and "-"'),
  description: z.string().optional(),
  terms: z.array(termSchema).default([]),
  all: z.array(termList).optional(),
  none: z.array(termList).optional(),
  near: z.array(nearSchema).optional(),
  titleWeight: z.number().finite().min(0).optional(),
  maxScore: z.number().finite().optional(),
  tags: z.array(z.string()).optional(),
  notes: z.string().optional(),
  enabled: z.boolean().optional(),
});

const raiseSchema = z.union([
  z.strictObject({ terms: termList, to: severity }),
  z.strictObject({ people: z.number().int().min(1), to: severity }),
]);

export const packSchema = z
  .strictObject({
    pack: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'pack names are letters, digits, ".", "_" and "-"'),
    description: z.string().optional(),
    version: z.union([z.string(), z.number()]).optional(),
    languages: z.array(z.string()).optional(),
    notes: z.string().optional(),
    /** Built-in pack names (or paths) loaded along with this one, e.g. its traps. */
    include: z.array(z.string().min(1)).optional(),
    thresholds: z
      .strictObject({ alert: z.number().finite(), review: z.number().finite() })
      .refine((t) => t.review <= t.alert, { message: 'review threshold must not exceed alert threshold' })
      .optional(),
    titleWeight: z.number().finite().min(0).default(2),
    rules: z.array(ruleSchema).min(1, 'a pack needs at least one rule'),
    severity: z.strictObject({ base: severity.default('medium'), raise: z.array(raiseSchema).default([]) }).optional(),
  })
  .superRefine((pack, ctx) => {
    const seen = new Map<string, number>();
    pack.rules.forEach((rule, i) => {
      const first = seen.get(rule.id);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `duplicate rule id "${rule.id}" (also rules[${first}])` });
      } else {
        seen.set(rule.id, i);
      }
      if (rule.terms.length === 0 && (rule.near ?? []).length === 0) {
        ctx.addIssue({ code: 'custom', path: ['rules', i], message: 'a rule needs "terms" or "near" to score anything' });
      }
    });
  });

/** A validated rule pack, as loaded from YAML (defaults applied). */
export type RulePack = z.output<typeof packSchema>;
/** One rule of a pack. */
export type Rule = z.output<typeof ruleSchema>;
/** A term as written: bare string or `{ t, w }`. */
export type TermSpec = z.output<typeof termSchema>;
/** Score thresholds: score ≥ alert → alert, ≥ review → review, else ignore. */
export interface Thresholds {
  alert: number;
  review: number;
}

/** One gazetteer entry: a canonical name and the variants that mean it. */
export const gazetteerSchema = z.strictObject({
  places: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        kind: z.string().optional(),
        variants: z.array(termText).min(1),
      }),
    )
    .min(1),
});

/** Canonical place names and their variants (see config/rules/gazetteer.yaml). */
export type Gazetteer = z.output<typeof gazetteerSchema>;
