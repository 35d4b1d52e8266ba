/**
 * A model version as JSON for models.artifacts: the Keras topology, the weight specs and the
 * weights as base64, through a custom tfjs IOHandler (no file system, no HTTP), plus what is
 * needed to use it again (input spec, label order, multi-label, architecture, and for a head
 * the backbone it sits on: its settings and the key that names its exact files).
 */
import type { io, LayersModel } from '@tensorflow/tfjs';
import { z } from 'zod';
import type { TensorFlow } from '../backend/chooseBackend';
import type { EmbedderSettings } from '../embedding/poolEmbedder';
import type { InputSpec } from '../features/inputSpec';
import { EMBEDDER_NAMES } from '@al/contract';
import { ARCHITECTURE_NAMES, type ArchitectureName } from './architecture';

export const ARTIFACTS_FORMAT = 'tfjs-layers-base64-v1';

const artifactsSchema = z.object({
  format: z.literal(ARTIFACTS_FORMAT),
  architecture: z.enum(ARCHITECTURE_NAMES),
  inputSpec: z.object({
    width: z.int().positive(),
    height: z.int().positive(),
    channels: z.union([z.literal(1), z.literal(3)]),
  }),
  labels: z.array(z.string()).min(1),
  multiLabel: z.boolean(),
  modelTopology: z.record(z.string(), z.unknown()),
  weightSpecs: z.array(z.record(z.string(), z.unknown())),
  weightDataBase64: z.string(),
  backbone: z.optional(
    z.object({
      key: z.string(),
      settings: z.object({
        embedder: z.enum(EMBEDDER_NAMES),
        embedder_model: z.string().nullable(),
        embedder_output: z.string().nullable(),
        embedder_input_range: z.enum(['unit', 'symmetric', 'bytes']),
      }),
    }),
  ),
});

export type ModelArtifactsJson = z.infer<typeof artifactsSchema>;

/** The backbone a head was trained on: the settings to load it, the key it must still have. */
export interface HeadBackbone {
  key: string;
  settings: EmbedderSettings;
}

export interface ModelMeta {
  architecture: ArchitectureName;
  inputSpec: InputSpec;
  labels: readonly string[];
  multiLabel: boolean;
  /** Set for a head (architecture 'head'): its input is this backbone's embedding. */
  backbone?: HeadBackbone;
}

export async function serializeModel(
  tf: TensorFlow,
  model: LayersModel,
  meta: ModelMeta,
): Promise<ModelArtifactsJson> {
  let saved: io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler((artifacts) => {
      saved = artifacts;
      return Promise.resolve({
        modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' },
      });
    }),
  );
  if (!saved?.weightData || !saved.weightSpecs || !saved.modelTopology) {
    throw new Error('tfjs saved no topology or weights');
  }
  const weights = tf.io.CompositeArrayBuffer.join(saved.weightData);
  return {
    format: ARTIFACTS_FORMAT,
    ...meta,
    labels: [...meta.labels],
    modelTopology: saved.modelTopology as Record<string, unknown>,
    weightSpecs: saved.weightSpecs as unknown as Record<string, unknown>[],
    weightDataBase64: Buffer.from(weights).toString('base64'),
  };
}

export interface LoadedModel {
  model: LayersModel;
  meta: ModelMeta;
}

/** Loads a stored version back (`models.artifacts`), validating the JSON first. */
export async function loadModel(tf: TensorFlow, row: { artifacts: unknown }): Promise<LoadedModel> {
  const a = artifactsSchema.parse(row.artifacts);
  const bytes = Buffer.from(a.weightDataBase64, 'base64');
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: a.modelTopology,
      weightSpecs: a.weightSpecs as unknown as io.WeightsManifestEntry[],
      weightData,
    }),
  );
  const { architecture, inputSpec, labels, multiLabel, backbone } = a;
  return { model, meta: { architecture, inputSpec, labels, multiLabel, backbone } };
}
