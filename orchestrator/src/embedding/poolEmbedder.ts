/**
 * What an embedder of the pool is: something that, given a random sample of the project's
 * images, becomes a function from pixels to unit-length vectors. PCA learns that function from
 * the sample; a pretrained backbone ignores the sample and only checks that it can feed the
 * project's images. The registry (embedderRegistry.ts) maps each EMBEDDER_NAMES entry of the
 * acquisition settings to one implementation.
 */
import type { AcquisitionSettings } from '@al/contract';
import type { Logger } from 'pino';
import type { Rng } from '../acquisition/rng';
import type { TensorFlow } from '../backend/chooseBackend';
import type { InputSpec } from '../features/inputSpec';
import type { PcaBasis } from './pca';

/** n rows of uint8 pixels in the project's input spec (HWC, row after row). */
export interface PixelRows {
  pixels: Uint8Array;
  n: number;
}

export interface FittedEmbedder {
  dim: number;
  /** Share of the pixel variance the embedding holds (PCA); undefined for a backbone. */
  explained?: number;
  /** The fitted components (PCA only). */
  pca?: PcaBasis;
  /** n rows of pixels → n × dim unit-length rows (an all-zero model output stays zero). */
  embed(pixels: Uint8Array, n: number): Promise<Float32Array>;
}

export interface PoolEmbedder {
  /**
   * The embedder and its version: name, options and, for a backbone, a digest of its files.
   * Part of the pool-embedding cache key, so another setting or another model refits.
   */
  readonly key: string;
  fit(sample: PixelRows, spec: InputSpec, rng: Rng): Promise<FittedEmbedder>;
  /** Frees what loading took (tensors, sessions). Unusable afterwards. */
  dispose(): Promise<void>;
}

/** The settings an embedder reads. */
export type EmbedderSettings = Pick<
  AcquisitionSettings,
  'embedder' | 'embedder_model' | 'embedder_output' | 'embedder_input_range'
>;

export const DEFAULT_EMBEDDER_SETTINGS: EmbedderSettings = {
  embedder: 'pca',
  embedder_model: null,
  embedder_output: null,
  embedder_input_range: 'unit',
};

export interface EmbedderDeps {
  tf: TensorFlow;
  logger: Logger;
  /** For models given by http(s) URL; Node's global fetch by default. */
  fetch?: typeof fetch;
}

/** Why a backbone cannot be used: a missing file, a bad model.json, an input it cannot feed. */
export class EmbedderLoadError extends Error {
  override readonly name = 'EmbedderLoadError';
}
