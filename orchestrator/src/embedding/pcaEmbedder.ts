/** The default pool embedder: PCA of the pixels, learned from the project's own sample (pca.ts). */
import type { TensorFlow } from '../backend/chooseBackend';
import { fitPca, projectPca } from './pca';
import type { PoolEmbedder } from './poolEmbedder';

/** Components kept: enough for the main modes of variation, few enough that distances mean something. */
export const PCA_COMPONENTS = 32;

/** Bump when the fit or the projection changes what an embedding means. */
const PCA_VERSION = 1;

export function pcaEmbedder(tf: TensorFlow, components = PCA_COMPONENTS): PoolEmbedder {
  return {
    key: `pca:v${PCA_VERSION}:${components}`,
    fit(sample, _spec, rng) {
      const basis = fitPca(tf, sample.pixels, sample.n, components, rng);
      return Promise.resolve({
        dim: basis.dim,
        explained: basis.explained,
        pca: basis,
        embed: (pixels, n) => Promise.resolve(projectPca(tf, basis, pixels, n)),
      });
    },
    dispose: () => Promise.resolve(),
  };
}
