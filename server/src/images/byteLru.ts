/**
 * A least-recently-used cache bounded by total bytes, not entries: resized images vary from
 * a few hundred bytes (MNIST) to hundreds of kB. A Map keeps insertion order, so re-inserting
 * on each hit makes its first key the least recently used.
 */
export class ByteLru<T extends { body: Buffer }> {
  private readonly items = new Map<string, T>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string): T | undefined {
    const value = this.items.get(key);
    if (value === undefined) return undefined;
    this.items.delete(key);
    this.items.set(key, value);
    return value;
  }

  set(key: string, value: T): void {
    if (value.body.length > this.maxBytes) return;
    const old = this.items.get(key);
    if (old) {
      this.bytes -= old.body.length;
      this.items.delete(key);
    }
    this.items.set(key, value);
    this.bytes += value.body.length;
    for (const [k, v] of this.items) {
      if (this.bytes <= this.maxBytes) break;
      this.items.delete(k);
      this.bytes -= v.body.length;
    }
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.items.size, bytes: this.bytes };
  }
}
