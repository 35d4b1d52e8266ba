/**
 * The labelled samples of a project with their pixels, split into the training share and the
 * held-out share (samples.split, fixed at import by content hash; never trained on).
 */
import { getFeaturesByHashes, listEffectiveLabels, listKnownAnswers, type Tx } from '@al/db';
import { featureLength, inputSpecKey, type InputSpec } from '../features/inputSpec';
import { resolveLabels, type ResolvedSample } from './resolveLabels';

export interface LabelledSet {
  sampleIds: number[];
  /** n × featureLength uint8. */
  pixels: Uint8Array;
  /** n × numClasses. */
  targets: Float32Array;
}

export interface LabelledData {
  train: LabelledSet;
  evaluation: LabelledSet;
  /** Labelled samples left out because their image could not be decoded. */
  missingFeatures: number;
}

const HASH_CHUNK = 5_000;

function pack(
  samples: ResolvedSample[],
  features: Map<string, Buffer>,
  spec: InputSpec,
  c: number,
) {
  const len = featureLength(spec);
  const kept = samples.filter((s) => features.has(s.contentHash));
  const pixels = new Uint8Array(kept.length * len);
  const targets = new Float32Array(kept.length * c);
  kept.forEach((s, i) => {
    const data = features.get(s.contentHash);
    if (data) pixels.set(data.subarray(0, len), i * len);
    targets.set(s.target, i * c);
  });
  return { sampleIds: kept.map((s) => s.sampleId), pixels, targets };
}

export async function loadLabelledData({
  knex,
  projectId,
  options,
  multiLabel,
  spec,
}: {
  knex: Tx;
  projectId: number;
  options: readonly string[];
  multiLabel: boolean;
  spec: InputSpec;
}): Promise<LabelledData> {
  // Reviews and gold answers override the labellers' (see resolveLabels).
  const resolved = resolveLabels(
    await listEffectiveLabels({ tx: knex, projectId }),
    options,
    multiLabel,
    await listKnownAnswers({ tx: knex, projectId }),
  );
  const hashes = [...new Set(resolved.map((s) => s.contentHash))];
  const features = new Map<string, Buffer>();
  for (let i = 0; i < hashes.length; i += HASH_CHUNK) {
    const rows = await getFeaturesByHashes({
      tx: knex,
      spec: inputSpecKey(spec),
      hashes: hashes.slice(i, i + HASH_CHUNK),
    });
    for (const r of rows) features.set(r.content_hash, r.data);
  }
  const c = options.length;
  const train = pack(
    resolved.filter((s) => s.split === 'train'),
    features,
    spec,
    c,
  );
  const evaluation = pack(
    resolved.filter((s) => s.split === 'eval'),
    features,
    spec,
    c,
  );
  return {
    train,
    evaluation,
    missingFeatures: resolved.length - train.sampleIds.length - evaluation.sampleIds.length,
  };
}
