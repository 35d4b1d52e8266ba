/**
 * What the system stored, read from its database before the run's database is dropped: every
 * model version's serialized artifacts, so the bench can evaluate the very weights whose
 * accuracy was reported, and the features the orchestrator cached for some pool images, so it
 * can prove that it decodes test images into the same bytes the models were fed.
 */
import { createDb, getFeaturesByHashes, getProjectByName, listModelArtifacts } from '@al/db';
import { inputSpecKey, parseInputSpec, type InputSpec } from '@al/orchestrator';

/** Pool images whose cached features are compared with the bench's own decoding of them. */
const CHECKED_POOL_IMAGES = 200;

export interface StoredModel {
  version: number;
  trainedOn: number;
  /** models.artifacts as stored (validated by the orchestrator's loader). */
  artifacts: unknown;
}

export interface StoredModels {
  models: StoredModel[];
  /** The project's input spec; null when no retrain ever derived one. */
  spec: InputSpec | null;
  /** Pool index → the orchestrator's cached features of that image under `spec`. */
  poolFeatures: Map<number, Buffer>;
}

export async function readStoredModels(
  databaseUrl: string,
  project: string,
  poolHashes: readonly string[],
): Promise<StoredModels> {
  const knex = createDb({ connectionString: databaseUrl, poolMax: 1, applicationName: 'bench' });
  try {
    const row = await getProjectByName({ tx: knex, name: project });
    if (!row) throw new Error(`project ${project} is not in the database`);
    const models = (await listModelArtifacts({ tx: knex, projectId: row.id })).map((m) => ({
      version: m.version,
      trainedOn: m.trained_on,
      artifacts: m.artifacts,
    }));
    if (row.input_spec === null) return { models, spec: null, poolFeatures: new Map() };
    const spec = parseInputSpec(row.input_spec);
    const hashes = poolHashes.slice(0, CHECKED_POOL_IMAGES);
    const cached = await getFeaturesByHashes({ tx: knex, spec: inputSpecKey(spec), hashes });
    const byHash = new Map(cached.map((f) => [f.content_hash, f.data]));
    const poolFeatures = new Map<number, Buffer>();
    hashes.forEach((hash, i) => {
      const data = byHash.get(hash);
      if (data) poolFeatures.set(i, data);
    });
    return { models, spec, poolFeatures };
  } finally {
    await knex.destroy();
  }
}
