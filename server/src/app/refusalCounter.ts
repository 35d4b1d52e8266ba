/**
 * Refusals per client address in fixed one-minute windows, for the socket handshake (the HTTP
 * routes use express-rate-limit). In memory, per process: several replicas each count their own,
 * which still keeps token guessing slow.
 */
export class RefusalCounter {
  private readonly windows = new Map<string, { startedAt: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** True once `address` was refused `limit` times in the current window. */
  blocked(address: string): boolean {
    return (this.current(address)?.count ?? 0) >= this.limit;
  }

  add(address: string): void {
    const window = this.current(address);
    if (window) window.count++;
    else this.windows.set(address, { startedAt: this.now(), count: 1 });
    // Forget finished windows now and then, so the map cannot grow without bound.
    if (this.windows.size > 10_000) {
      for (const [key, w] of this.windows) {
        if (this.now() - w.startedAt >= this.windowMs) this.windows.delete(key);
      }
    }
  }

  private current(address: string) {
    const window = this.windows.get(address);
    if (window && this.now() - window.startedAt < this.windowMs) return window;
    this.windows.delete(address);
    return undefined;
  }
}
