import { loadGazetteer } from '../load.js';
import { HitList, Matcher, toMatcherKey } from '../matcher.js';
import type { MatcherKey } from '../matcher.js';
import { normalizeText } from '../normalize/normalize.js';
import type { Gazetteer } from '../schema.js';

/** Gazetteer variants as matcher keys, each pointing at its canonical name. */
export interface CompiledGazetteer {
  names: string[];
  keys: MatcherKey[];
  /** keys[i] names names[keyPlace[i]]. */
  keyPlace: number[];
}

/**
 * Normalises every variant into matcher keys. The canonical name is NOT matched unless listed
 * as a variant ("Hwasong" alone is mostly a missile, so only "Hwasong camp" … name the camp).
 */
export function compileGazetteer(gazetteer: Gazetteer): CompiledGazetteer {
  const names: string[] = [];
  const keys: MatcherKey[] = [];
  const keyPlace: number[] = [];
  const seen = new Set<string>();
  gazetteer.places.forEach((place, index) => {
    names.push(place.name);
    for (const variant of place.variants) {
      const key = toMatcherKey(variant);
      const id = `${key.text}${key.prefix ? '*' : ''}`;
      if (key.text === '' || seen.has(id)) continue;
      seen.add(id);
      keys.push(key);
      keyPlace.push(index);
    }
  });
  return { names, keys, keyPlace };
}

const cache = new WeakMap<Gazetteer, { compiled: CompiledGazetteer; matcher: Matcher }>();

/**
 * Canonical names of the gazetteer places mentioned in `text`, in order of first mention
 * (default gazetteer: config/rules/gazetteer.yaml). The classifier does the same inside its
 * single matcher; this is the standalone form.
 */
export function findPlaces(text: string, gazetteer: Gazetteer = loadGazetteer()): string[] {
  let entry = cache.get(gazetteer);
  if (!entry) {
    const compiled = compileGazetteer(gazetteer);
    entry = { compiled, matcher: new Matcher(compiled.keys) };
    cache.set(gazetteer, entry);
  }
  const hits = new HitList();
  entry.matcher.scan(normalizeText(text), hits);
  const found: string[] = [];
  for (let h = 0; h < hits.count; h++) {
    const name = entry.compiled.names[entry.compiled.keyPlace[hits.key[h] ?? 0] ?? 0];
    if (name !== undefined && !found.includes(name)) found.push(name);
  }
  return found;
}
