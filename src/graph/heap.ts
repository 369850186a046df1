/**
 * Binary min-heap of vertex indices in an Int32Array. kro keys its heap by (Order, ID); Order is the
 * original index and unique, so the index alone is the key.
 */
export class MinIndexHeap {
  private readonly data: Int32Array;
  length = 0;

  constructor(capacity: number) {
    this.data = new Int32Array(Math.max(1, capacity));
  }

  push(v: number): void {
    const a = this.data;
    let i = this.length++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = a[parent]!;
      if (p <= v) break;
      a[i] = p;
      i = parent;
    }
    a[i] = v;
  }

  pop(): number {
    const a = this.data;
    const top = a[0]!;
    const last = a[--this.length]!;
    const n = this.length;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && a[c + 1]! < a[c]!) c++;
      if (a[c]! >= last) break;
      a[i] = a[c]!;
      i = c;
    }
    if (n > 0) a[i] = last;
    return top;
  }
}
