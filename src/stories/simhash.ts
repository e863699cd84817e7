/**
 * 64-bit SimHash (Charikar) over weighted string features, plus the LSH bands used to
 * find candidates in Redis. With 8 bands of 8 bits, two hashes within hamming distance 7
 * always share a band (pigeonhole), and at distance 10 they still do 96 % of the time
 * (4 bands of 16 bits: 17 %), which is what the matching threshold needs.
 */

/** Number of LSH bands; 64 / BANDS bits each. */
export const BANDS = 8;
const BAND_BITS = 64 / BANDS;

/** 32-bit FNV-1a finished with the murmur3 mixer; two seeds give the 64 bits. */
function hash32(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** SimHash of features (feature → weight). Returns 0n when there are none. */
export function simhash(features: ReadonlyMap<string, number>): bigint {
  if (features.size === 0) return 0n;
  const v = new Float64Array(64);
  for (const [feature, weight] of features) {
    const hi = hash32(feature, 0x9e3779b9);
    const lo = hash32(feature, 0x7f4a7c15);
    for (let bit = 0; bit < 32; bit += 1) {
      v[bit] = (v[bit] ?? 0) + ((lo >>> bit) & 1 ? weight : -weight);
      v[bit + 32] = (v[bit + 32] ?? 0) + ((hi >>> bit) & 1 ? weight : -weight);
    }
  }
  let out = 0n;
  for (let bit = 63; bit >= 0; bit -= 1) out = (out << 1n) | ((v[bit] ?? 0) > 0 ? 1n : 0n);
  return out;
}

/** Number of differing bits between two 64-bit hashes. */
export function hammingDistance(a: bigint, b: bigint): number {
  let x = BigInt.asUintN(64, a ^ b);
  let count = 0;
  while (x !== 0n) {
    x &= x - 1n;
    count += 1;
  }
  return count;
}

/** The hash as 16 lower-case hex digits (how it is stored in Redis). */
export function simhashHex(hash: bigint): string {
  return BigInt.asUintN(64, hash).toString(16).padStart(16, '0');
}

/** LSH band keys "i:hh" (band index, the band's bits as hex), low bits first. */
export function simhashBands(hash: bigint): string[] {
  const hex = simhashHex(hash);
  const bands: string[] = [];
  for (let i = 0; i < BANDS; i += 1) {
    const start = hex.length - (i + 1) * (BAND_BITS / 4);
    bands.push(`${i}:${hex.slice(start, start + BAND_BITS / 4)}`);
  }
  return bands;
}
