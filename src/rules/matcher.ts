import { CLS_WORD, charClass } from './normalize/chars.js';
import { normalizeText } from './normalize/normalize.js';

/** A term compiled for matching: normalised text, and whether `*` made it a prefix. */
export interface MatcherKey {
  text: string;
  prefix: boolean;
}

/** Growable list of hits (key id, start, end in normalised text), reused across scans. */
export class HitList {
  key = new Int32Array(256);
  start = new Int32Array(256);
  end = new Int32Array(256);
  count = 0;

  push(key: number, start: number, end: number): void {
    if (this.count === this.key.length) {
      const size = this.count * 2;
      const k = new Int32Array(size);
      k.set(this.key);
      this.key = k;
      const s = new Int32Array(size);
      s.set(this.start);
      this.start = s;
      const e = new Int32Array(size);
      e.set(this.end);
      this.end = e;
    }
    this.key[this.count] = key;
    this.start[this.count] = start;
    this.end[this.count] = end;
    this.count++;
  }
}

/** Turns a term as written ("Forcibly repatriat*") into a matcher key. */
export function toMatcherKey(term: string): MatcherKey {
  const trimmed = term.trim();
  const prefix = trimmed.endsWith('*');
  return { text: normalizeText(prefix ? trimmed.slice(0, -1) : trimmed), prefix };
}

/**
 * One Aho–Corasick automaton over every key, scanning normalised text in a single pass:
 * cost grows with the text, not with the number of keys. Keys whose first (last) character
 * belongs to a spaced script must start (end) on a word boundary; a prefix key needs no
 * boundary at its end; CJK keys match as substrings.
 */
export class Matcher {
  /** Code unit → alphabet index (0: in no key, so the automaton resets to the root). */
  private readonly alpha = new Uint16Array(65536);
  private readonly rootNext: Int32Array;
  private readonly fail: Int32Array;
  /** First node at or below this one on the failure chain that ends a key (0: none). */
  private readonly outNode: Int32Array;
  private readonly nodeKey: Int32Array;
  private readonly keyNext: Int32Array;
  private readonly keyLen: Int32Array;
  /** Bit 1: needs a left boundary; bit 2: needs a right boundary. */
  private readonly keyFlags: Uint8Array;
  // Open-addressing table for non-root edges: (node, alphabet index) → child.
  private readonly edgeNode: Int32Array;
  private readonly edgeChar: Int32Array;
  private readonly edgeChild: Int32Array;
  private readonly mask: number;
  readonly nodeCount: number;

  constructor(keys: readonly MatcherKey[]) {
    let alphaSize = 1;
    for (const k of keys) {
      for (let i = 0; i < k.text.length; i++) {
        const c = k.text.charCodeAt(i);
        if (this.alpha[c] === 0) this.alpha[c] = alphaSize++;
      }
    }
    // Build the trie with per-node child lists (build time only).
    const children: Array<Array<[number, number]>> = [[]];
    const nodeKeyList: number[] = [-1];
    const keyNextList: number[] = [];
    this.keyLen = new Int32Array(keys.length);
    this.keyFlags = new Uint8Array(keys.length);
    keys.forEach((k, id) => {
      let node = 0;
      for (let i = 0; i < k.text.length; i++) {
        const a = this.alpha[k.text.charCodeAt(i)] ?? 0;
        const list = children[node] ?? [];
        const found = list.find((e) => e[0] === a);
        if (found) {
          node = found[1];
        } else {
          const child = children.length;
          children.push([]);
          nodeKeyList.push(-1);
          list.push([a, child]);
          node = child;
        }
      }
      keyNextList[id] = nodeKeyList[node] ?? -1;
      nodeKeyList[node] = id;
      this.keyLen[id] = k.text.length;
      const first = k.text.charCodeAt(0);
      const last = k.text.charCodeAt(k.text.length - 1);
      let flags = 0;
      if (k.text.length > 0 && charClass(first) === CLS_WORD) flags |= 1;
      if (k.text.length > 0 && !k.prefix && charClass(last) === CLS_WORD) flags |= 2;
      this.keyFlags[id] = flags;
    });
    const n = children.length;
    this.nodeCount = n;
    this.nodeKey = Int32Array.from(nodeKeyList);
    this.keyNext = Int32Array.from(keyNextList);
    this.rootNext = new Int32Array(alphaSize);
    let edges = 0;
    for (let node = 1; node < n; node++) edges += children[node]?.length ?? 0;
    let cap = 16;
    while (cap < edges * 2) cap *= 2;
    this.mask = cap - 1;
    this.edgeNode = new Int32Array(cap).fill(-1);
    this.edgeChar = new Int32Array(cap);
    this.edgeChild = new Int32Array(cap);
    for (const [a, child] of children[0] ?? []) this.rootNext[a] = child;
    for (let node = 1; node < n; node++) {
      for (const [a, child] of children[node] ?? []) this.setEdge(node, a, child);
    }
    // Breadth-first failure links.
    this.fail = new Int32Array(n);
    this.outNode = new Int32Array(n);
    const queue: number[] = [];
    for (const [, child] of children[0] ?? []) queue.push(child);
    for (let qi = 0; qi < queue.length; qi++) {
      const node = queue[qi] ?? 0;
      const f = this.fail[node] ?? 0;
      this.outNode[node] = (this.nodeKey[node] ?? -1) >= 0 ? node : (this.outNode[f] ?? 0);
      for (const [a, child] of children[node] ?? []) {
        this.fail[child] = this.step(f, a, child);
        queue.push(child);
      }
    }
  }

  private hash(node: number, a: number): number {
    return (Math.imul(node, 0x9e3779b1) ^ Math.imul(a + 1, 0x85ebca6b)) & this.mask;
  }

  private setEdge(node: number, a: number, child: number): void {
    let h = this.hash(node, a);
    while (this.edgeNode[h] !== -1) h = (h + 1) & this.mask;
    this.edgeNode[h] = node;
    this.edgeChar[h] = a;
    this.edgeChild[h] = child;
  }

  private edge(node: number, a: number): number {
    let h = this.hash(node, a);
    for (;;) {
      const en = this.edgeNode[h];
      if (en === -1) return -1;
      if (en === node && this.edgeChar[h] === a) return this.edgeChild[h] ?? -1;
      h = (h + 1) & this.mask;
    }
  }

  /** Goto with failure: the state after reading `a` in state `s` (never returns `self`). */
  private step(s: number, a: number, self: number): number {
    for (;;) {
      if (s === 0) {
        const r = this.rootNext[a] ?? 0;
        return r === self ? 0 : r;
      }
      const nx = this.edge(s, a);
      if (nx >= 0 && nx !== self) return nx;
      s = this.fail[s] ?? 0;
    }
  }

  /** Appends every boundary-respecting key occurrence in `text` to `hits` (which it does not clear). */
  scan(text: string, hits: HitList): void {
    const alpha = this.alpha;
    const rootNext = this.rootNext;
    const fail = this.fail;
    const outNode = this.outNode;
    const n = text.length;
    let s = 0;
    for (let i = 0; i < n; i++) {
      const a = alpha[text.charCodeAt(i)] ?? 0;
      if (a === 0) {
        s = 0;
        continue;
      }
      if (s === 0) {
        s = rootNext[a] ?? 0;
      } else {
        let nx = this.edge(s, a);
        while (nx < 0) {
          s = fail[s] ?? 0;
          if (s === 0) {
            nx = rootNext[a] ?? 0;
            break;
          }
          nx = this.edge(s, a);
        }
        s = nx;
      }
      let o = outNode[s] ?? 0;
      while (o !== 0) {
        for (let k = this.nodeKey[o] ?? -1; k >= 0; k = this.keyNext[k] ?? -1) this.report(text, k, i + 1, hits);
        o = outNode[fail[o] ?? 0] ?? 0;
      }
    }
  }

  private report(text: string, key: number, end: number, hits: HitList): void {
    const start = end - (this.keyLen[key] ?? 0);
    const flags = this.keyFlags[key] ?? 0;
    if ((flags & 1) !== 0 && start > 0 && charClass(text.charCodeAt(start - 1)) === CLS_WORD) return;
    if ((flags & 2) !== 0 && end < text.length && charClass(text.charCodeAt(end)) === CLS_WORD) return;
    hits.push(key, start, end);
  }
}
