/**
 * The open pool of a project, page by page with its cached pixels: scoring never holds more
 * than one page of pixels (2,000 × 784 bytes at 28x28 grey) whatever the pool size.
 */
import { listOpenSampleFeatures, type LabelValue, type Tx } from '@al/db';
import { featureLength, inputSpecKey, type InputSpec } from './inputSpec';

export interface PoolPage {
  ids: number[];
  /** ids.length × featureLength(spec) uint8 pixels, row-major. */
  pixels: Uint8Array;
  /** 1 where the sample belongs to the held-out share. */
  heldOut: Uint8Array;
  /** The latest model's prediction per sample (null before any model). */
  predicted: (LabelValue | null)[];
}

export async function* streamPoolFeatures({
  knex,
  projectId,
  spec,
  pageSize = 2_000,
}: {
  knex: Tx;
  projectId: number;
  spec: InputSpec;
  pageSize?: number;
}): AsyncGenerator<PoolPage> {
  const key = inputSpecKey(spec);
  const len = featureLength(spec);
  let afterId = 0;
  for (;;) {
    const rows = await listOpenSampleFeatures({
      tx: knex,
      projectId,
      spec: key,
      afterId,
      limit: pageSize,
    });
    const last = rows.at(-1);
    if (!last) return;
    afterId = last.id;
    const pixels = new Uint8Array(rows.length * len);
    rows.forEach((r, i) => {
      pixels.set(r.data.subarray(0, len), i * len);
    });
    yield {
      ids: rows.map((r) => r.id),
      pixels,
      heldOut: Uint8Array.from(rows, (r) => (r.split === 'eval' ? 1 : 0)),
      predicted: rows.map((r) => r.predicted_label),
    };
  }
}
