/**
 * Ready set for kro's topological order: always take the ready vertex with the lowest original index
 * (kro keys a min-heap by (Order, ID); Order is unique, so the index alone is the key).
 *
 * Implemented as a two-level bitset rather than a binary heap: push is O(1), pop scans summary words
 * from a low-water mark. Measured with bench/graph: a binary heap cost 33 → 115 ns/node from 100 to
 * 10,000 nodes (log factor plus cache misses); the bitset keeps sort time near-linear.
 */
export class MinIndexSet {
  private readonly words: Uint32Array;
  private readonly summary: Uint32Array;
  /** No summary word below this index has a bit set. */
  private low = 0;
  length = 0;

  constructor(capacity: number) {
    const n = Math.max(1, capacity);
    this.words = new Uint32Array(Math.ceil(n / 32));
    this.summary = new Uint32Array(Math.ceil(this.words.length / 32));
  }

  clear(): void {
    if (this.length > 0) {
      this.words.fill(0);
      this.summary.fill(0);
    }
    this.length = 0;
    this.low = 0;
  }

  push(v: number): void {
    const w = v >>> 5;
    const before = this.words[w]!;
    const bit = 1 << (v & 31);
    if (before & bit) return;
    this.words[w] = before | bit;
    if (before === 0) {
      const s = w >>> 5;
      this.summary[s]! |= 1 << (w & 31);
      if (s < this.low) this.low = s;
    }
    this.length++;
  }

  pop(): number {
    const summary = this.summary;
    let s = this.low;
    while (summary[s] === 0) s++;
    this.low = s;
    const sw = summary[s]!;
    const w = (s << 5) + (31 - Math.clz32(sw & -sw));
    const word = this.words[w]!;
    const b = 31 - Math.clz32(word & -word);
    const rest = word & (word - 1);
    this.words[w] = rest;
    if (rest === 0) summary[s] = sw & (sw - 1);
    this.length--;
    return (w << 5) + b;
  }
}
