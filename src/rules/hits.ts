import { CLS_CJK, CLS_WORD, charClass } from './normalize/chars.js';
import type { HitList } from './matcher.js';
import type { NormalizedText } from './normalize/normalize.js';

/**
 * The hits of one field (title or text), indexed by key: per-key chains in text order.
 * Arrays are sized once per classifier and reused; a generation stamp marks valid heads,
 * so a classify() call never clears or allocates per key.
 */
export class FieldHits {
  private readonly head: Int32Array;
  private readonly stamp: Int32Array;
  private readonly counts: Int32Array;
  private next = new Int32Array(256);
  private gen = 0;
  hits!: HitList;
  norm!: NormalizedText;
  original = '';
  private positions: Int32Array | undefined;

  constructor(keyCount: number) {
    this.head = new Int32Array(keyCount);
    this.stamp = new Int32Array(keyCount);
    this.counts = new Int32Array(keyCount);
  }

  /** Indexes `hits`; `touched` receives each key seen for the first time in this generation. */
  load(hits: HitList, norm: NormalizedText, original: string, gen: number, touched: number[], keyStamp: Int32Array): void {
    this.hits = hits;
    this.norm = norm;
    this.original = original;
    this.gen = gen;
    this.positions = undefined;
    if (this.next.length < hits.count) this.next = new Int32Array(Math.max(hits.count, this.next.length * 2));
    // Walk backwards so each chain ends up in text order.
    for (let h = hits.count - 1; h >= 0; h--) {
      const key = hits.key[h] ?? 0;
      if (this.stamp[key] !== gen) {
        this.stamp[key] = gen;
        this.next[h] = -1;
        this.counts[key] = 0;
        if (keyStamp[key] !== gen) {
          keyStamp[key] = gen;
          touched.push(key);
        }
      } else {
        this.next[h] = this.head[key] ?? -1;
      }
      this.head[key] = h;
      this.counts[key] = (this.counts[key] ?? 0) + 1;
    }
  }

  has(key: number): boolean {
    return this.stamp[key] === this.gen;
  }

  count(key: number): number {
    return this.stamp[key] === this.gen ? (this.counts[key] ?? 0) : 0;
  }

  /** First hit index of `key`, or -1. */
  first(key: number): number {
    return this.stamp[key] === this.gen ? (this.head[key] ?? -1) : -1;
  }

  nextHit(h: number): number {
    return this.next[h] ?? -1;
  }

  start(h: number): number {
    return this.hits.start[h] ?? 0;
  }

  end(h: number): number {
    return this.hits.end[h] ?? 0;
  }

  /**
   * Position in half-words before normalised index i: each word of a spaced script counts 2,
   * each CJK character counts 1 (so two CJK characters make one "word"). Built on first use.
   */
  halfWordPos(i: number): number {
    if (!this.positions) {
      const text = this.norm.text;
      const pos = new Int32Array(text.length + 1);
      let count = 0;
      let prevWord = false;
      for (let k = 0; k < text.length; k++) {
        pos[k] = count;
        const cls = charClass(text.charCodeAt(k));
        if (cls === CLS_WORD) {
          if (!prevWord) count += 2;
          prevWord = true;
        } else {
          if (cls === CLS_CJK) count += 1;
          prevWord = false;
        }
      }
      pos[text.length] = count;
      this.positions = pos;
    }
    return this.positions[i] ?? 0;
  }
}
