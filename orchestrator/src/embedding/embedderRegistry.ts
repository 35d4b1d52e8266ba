/**
 * One loader per embedder name of the acquisition settings (EMBEDDER_NAMES): adding an
 * embedder is one entry here, and a name without an entry does not compile. LoadedEmbedders
 * keeps what was loaded, so a backbone is read and built once per process, not per retrain.
 */
import type { EmbedderName } from '@al/contract';
import { loadOnnxModelEmbedder } from './onnxModelEmbedder';
import { pcaEmbedder } from './pcaEmbedder';
import type { EmbedderDeps, EmbedderSettings, PoolEmbedder } from './poolEmbedder';
import { loadTfjsModelEmbedder } from './tfjsModelEmbedder';

type EmbedderLoader = (settings: EmbedderSettings, deps: EmbedderDeps) => Promise<PoolEmbedder>;

export const EMBEDDER_LOADERS: Record<EmbedderName, EmbedderLoader> = {
  pca: (_settings, { tf }) => Promise.resolve(pcaEmbedder(tf)),
  'tfjs-model': loadTfjsModelEmbedder,
  'onnx-model': loadOnnxModelEmbedder,
};

/** What a setting would load, known before loading (the loaded key adds the model's digest). */
export function embedderSourceKey(settings: EmbedderSettings): string {
  return JSON.stringify([
    settings.embedder,
    settings.embedder_model,
    settings.embedder_output,
    settings.embedder_input_range,
  ]);
}

export function loadEmbedder(
  settings: EmbedderSettings,
  deps: EmbedderDeps,
): Promise<PoolEmbedder> {
  return EMBEDDER_LOADERS[settings.embedder](settings, deps);
}

/**
 * Loaded embedders by source key. A load that fails is forgotten (the next retrain tries
 * again, e.g. once the file is there); one no project uses any more is disposed by retainOnly.
 */
export class LoadedEmbedders {
  private readonly loaded = new Map<string, Promise<PoolEmbedder>>();

  get(settings: EmbedderSettings, deps: EmbedderDeps): Promise<PoolEmbedder> {
    const key = embedderSourceKey(settings);
    let loading = this.loaded.get(key);
    if (!loading) {
      loading = loadEmbedder(settings, deps);
      this.loaded.set(key, loading);
      loading.catch(() => {
        if (this.loaded.get(key) === loading) this.loaded.delete(key);
      });
    }
    return loading;
  }

  get size(): number {
    return this.loaded.size;
  }

  /** Disposes every embedder whose source key is not in `keep`. */
  async retainOnly(keep: ReadonlySet<string>): Promise<void> {
    const dropped = [...this.loaded].filter(([key]) => !keep.has(key));
    for (const [key] of dropped) this.loaded.delete(key);
    await disposeAll(dropped.map(([, loading]) => loading));
  }

  async dispose(): Promise<void> {
    const all = [...this.loaded.values()];
    this.loaded.clear();
    await disposeAll(all);
  }
}

async function disposeAll(loading: readonly Promise<PoolEmbedder>[]): Promise<void> {
  const settled = await Promise.allSettled(loading);
  for (const s of settled) if (s.status === 'fulfilled') await s.value.dispose();
}
