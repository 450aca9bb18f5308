// A set of paths that keeps a 64-bit fingerprint of each path rather than the path itself. A decky
// remembers every path it has ever used (nothing is created twice), which grows with the horizon:
// as strings in a Set that is about 100 bytes a path, thousands of paths a year on each of
// thousands of deckies; as fingerprints in an open-addressed table it is 16 bytes a path at most.
// Two paths sharing a fingerprint (about one chance in 10^15 per lookup on a year's paths) would
// only make the engine take a path for used and pick another name: never a file written twice.

/** Two independent 32-bit hashes of the string's UTF-16 code units (never both zero). */
function fingerprint(s: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  a ^= a >>> 16;
  a = Math.imul(a, 0x85ebca6b);
  a ^= a >>> 13;
  b = Math.imul(b ^ (b >>> 16), 0xc2b2ae35);
  b ^= b >>> 16;
  return [a >>> 0, (b | 1) >>> 0];
}

export class PathSet {
  /** Slot i holds (hi[i], lo[i]); (0, 0) is empty (lo is never 0 for a key). */
  private hi = new Uint32Array(64);
  private lo = new Uint32Array(64);
  private count = 0;

  get size(): number {
    return this.count;
  }

  has(path: string): boolean {
    const [h, l] = fingerprint(path);
    return this.find(h, l) >= 0;
  }

  add(path: string): void {
    const [h, l] = fingerprint(path);
    if (this.find(h, l) >= 0) return;
    if ((this.count + 1) * 2 > this.hi.length) this.grow();
    this.put(h, l);
    this.count++;
  }

  delete(path: string): void {
    const [h, l] = fingerprint(path);
    let i = this.find(h, l);
    if (i < 0) return;
    // Linear probing with backward shift: later entries of the run move up into the hole.
    const mask = this.hi.length - 1;
    for (let j = (i + 1) & mask; this.lo[j] !== 0; j = (j + 1) & mask) {
      const home = this.hi[j]! & mask;
      // j's entry may move to i unless its home lies cyclically in (i, j].
      if (i <= j ? home <= i || home > j : home <= i && home > j) {
        this.hi[i] = this.hi[j]!;
        this.lo[i] = this.lo[j]!;
        i = j;
      }
    }
    this.hi[i] = 0;
    this.lo[i] = 0;
    this.count--;
  }

  private find(h: number, l: number): number {
    const mask = this.hi.length - 1;
    for (let i = h & mask; this.lo[i] !== 0; i = (i + 1) & mask) if (this.lo[i] === l && this.hi[i] === h) return i;
    return -1;
  }

  private put(h: number, l: number): void {
    const mask = this.hi.length - 1;
    let i = h & mask;
    while (this.lo[i] !== 0) i = (i + 1) & mask;
    this.hi[i] = h;
    this.lo[i] = l;
  }

  private grow(): void {
    const { hi, lo } = this;
    this.hi = new Uint32Array(hi.length * 2);
    this.lo = new Uint32Array(lo.length * 2);
    for (let i = 0; i < hi.length; i++) if (lo[i] !== 0) this.put(hi[i]!, lo[i]!);
  }
}
