import { buildDigits, buildFashion, buildLongtail, buildNoisy } from './mnist';
import { buildCifar } from './cifar';
import { buildShapes } from './shapes';
import type { BenchDataset, DatasetName } from './types';

export { DATASET_NAMES, answerFor, type BenchDataset, type DatasetName } from './types';

export async function buildDataset(
  name: DatasetName,
  seed: number,
  judgeSide: number,
): Promise<BenchDataset> {
  switch (name) {
    case 'digits':
      return buildDigits(seed);
    case 'longtail':
      return buildLongtail(seed);
    case 'noisy':
      return buildNoisy(seed);
    case 'shapes':
      return buildShapes(seed, judgeSide);
    case 'fashion':
      return buildFashion(seed);
    case 'cifar':
      return buildCifar(seed, judgeSide);
  }
}
