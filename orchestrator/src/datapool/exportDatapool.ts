/**
 * Lightly's datapool as a CSV (`datapool_latest.csv`): one row per sample of a project,
 * `filename,embedding_0,…,embedding_{D-1}`, filename being the sample's source URI.
 * - Embedding: the penultimate layer of the project's latest model version (a head's through
 *   the backbone it was trained on); before the first model, the downsampled pixels the cold
 *   start orders by (same D the orchestrator used).
 * - Only samples without cached features are decoded (cacheProjectFeatures), so a second
 *   export after importing more images decodes only the new ones.
 * - Pages of PAGE_SIZE samples: pixels, embeddings and CSV text of one page at a time, and
 *   the writer's backpressure is awaited, so memory stays flat however large the project.
 * - No label column: Lightly's datapool file carries filenames and embeddings only; labels
 *   live in the labels table and its own exports.
 * A sample whose image cannot be decoded has no features and no row (it is logged).
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { getLatestModel, getProjectById, listSampleFeaturesForExport, type Tx } from '@al/db';
import type { Logger } from 'pino';
import type { S3DatasourceOptions } from '@al/media';
import type { ChosenBackend } from '../backend/chooseBackend';
import { cacheProjectFeatures } from '../features/cacheFeatures';
import { downsampledDim, downsamplePixels } from '../features/downsample';
import { featureLength, inputSpecKey, type InputSpec } from '../features/inputSpec';
import { resolveProjectInputSpec } from '../features/projectInputSpec';
import { SampleReader } from '../features/sampleReader';
import type { SamplePredictor } from '../model/predictInBatches';
import { loadStoredPredictor } from '../model/storedPredictor';
import { csvField, float32Field } from './csv';

const PAGE_SIZE = 2_000;

export interface DatapoolExport {
  /** Data rows written (header excluded). */
  rows: number;
  dim: number;
  /** Images decoded by this run (features that were not cached yet). */
  decoded: number;
  failed: number;
  /** The model version whose embedding was used; null: cold-start downsampled pixels. */
  modelVersion: number | null;
}

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

function embedderFor(predictor: SamplePredictor | undefined, spec: InputSpec) {
  return predictor
    ? {
        dim: predictor.embeddingDim,
        embed: async (ids: number[], pixels: Uint8Array) =>
          (await predictor.predictSamples(ids, pixels)).embeddings,
      }
    : {
        dim: downsampledDim(spec),
        embed: (ids: number[], pixels: Uint8Array) =>
          Promise.resolve(downsamplePixels(pixels, ids.length, spec)),
      };
}

export async function exportDatapool({
  knex,
  projectId,
  backend,
  logger,
  out,
  s3,
}: {
  knex: Tx;
  projectId: number;
  backend: ChosenBackend;
  logger: Logger;
  out: Writable;
  /** How samples in S3 are read (see SampleReader). */
  s3?: S3DatasourceOptions;
}): Promise<DatapoolExport> {
  const modelRow = await getLatestModel({ tx: knex, projectId });
  const loaded = modelRow
    ? await loadStoredPredictor(modelRow, { tf: backend.tf, logger })
    : undefined;
  try {
    const project = await getProjectById({ tx: knex, id: projectId });
    if (!project) throw new Error(`project ${projectId} does not exist`);
    const reader = new SampleReader(project.source_roots, s3);
    // The model's own input size; before any model, the project's (derived if unset).
    const spec =
      loaded?.meta.inputSpec ?? (await resolveProjectInputSpec({ knex, project, reader, logger }));
    const cached = await cacheProjectFeatures({ knex, projectId, spec, reader, logger });
    const { dim, embed } = embedderFor(loaded?.predictor, spec);
    const header = ['filename', ...Array.from({ length: dim }, (_, k) => `embedding_${k}`)];
    await write(out, `${header.join(',')}\n`);
    const len = featureLength(spec);
    let afterId = 0;
    let rows = 0;
    for (;;) {
      const page = await listSampleFeaturesForExport({
        tx: knex,
        projectId,
        spec: inputSpecKey(spec),
        afterId,
        limit: PAGE_SIZE,
      });
      const last = page.at(-1);
      if (!last) break;
      afterId = last.id;
      const pixels = new Uint8Array(page.length * len);
      page.forEach((r, i) => {
        pixels.set(r.data.subarray(0, len), i * len);
      });
      const embeddings = await embed(
        page.map((r) => r.id),
        pixels,
      );
      const lines = page.map((r, i) => {
        const fields = [csvField(r.source_uri)];
        for (let k = 0; k < dim; k++) fields.push(float32Field(embeddings[i * dim + k] ?? 0));
        return fields.join(',');
      });
      await write(out, `${lines.join('\n')}\n`);
      rows += page.length;
    }
    return {
      rows,
      dim,
      decoded: cached.decoded,
      failed: cached.failed,
      modelVersion: modelRow?.version ?? null,
    };
  } finally {
    await loaded?.dispose();
  }
}
