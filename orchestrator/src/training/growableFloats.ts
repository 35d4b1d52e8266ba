/** Appends typed-array pages and joins them once at the end (no quadratic regrowth). */
export class FloatPages {
  private readonly pages: Float32Array[] = [];
  private total = 0;

  push(page: Float32Array): void {
    this.pages.push(page);
    this.total += page.length;
  }

  join(): Float32Array {
    const out = new Float32Array(this.total);
    let at = 0;
    for (const p of this.pages) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}
