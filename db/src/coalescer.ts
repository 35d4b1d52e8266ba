/** What one item of a batch ended with: its value, or the error that item alone failed with. */
export type Settled<O> = { ok: true; value: O } | { ok: false; error: unknown };

interface Pending<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Coalesces concurrent calls into batches with a natural batching loop: while `maxInFlight`
 * batches run, new calls queue; as soon as one finishes, everything queued (up to `maxBatch`)
 * goes out as the next batch. An idle coalescer sends a lone call at once (no timer, no added
 * latency); under load, batches grow to what arrived during one round trip.
 */
export class Coalescer<I, O> {
  private readonly queue: Pending<I, O>[] = [];
  private inFlight = 0;

  constructor(
    private readonly runBatch: (items: I[]) => Promise<Settled<O>[]>,
    private readonly opts: { maxBatch: number; maxInFlight: number },
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.opts.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.opts.maxBatch);
      this.inFlight += 1;
      this.runBatch(batch.map((p) => p.item))
        .then(
          (results) => {
            batch.forEach((p, k) => {
              const r = results[k];
              if (!r) p.reject(new Error('batch returned fewer results than items'));
              else if (r.ok) p.resolve(r.value);
              else p.reject(r.error);
            });
          },
          (error: unknown) => {
            for (const p of batch) p.reject(error);
          },
        )
        .finally(() => {
          this.inFlight -= 1;
          this.pump();
        });
    }
  }
}
