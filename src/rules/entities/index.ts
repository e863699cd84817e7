export { extractPeople, extractPeopleNormalized } from './people.js';
export { compileGazetteer, findPlaces } from './places.js';
export type { CompiledGazetteer } from './places.js';
export { parseCjkNumber, parseDigits } from './numbers.js';
