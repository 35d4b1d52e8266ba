/** Pixels, temp folders and a static file server for the embedder tests. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRng } from '../../acquisition/rng';
import type { InputSpec } from '../../features/inputSpec';
import { DEFAULT_EMBEDDER_SETTINGS, type EmbedderSettings } from '../poolEmbedder';

export const GREY_28: InputSpec = { width: 28, height: 28, channels: 1 };

/**
 * n grey 28×28 images: even ones a vertical bar, odd ones a horizontal bar, at seeded
 * positions, on light noise.
 */
export function barImages(n: number, seed: number): Uint8Array {
  const rng = createRng(seed);
  const side = 28;
  const out = new Uint8Array(n * side * side);
  for (let i = 0; i < n; i++) {
    const at = 6 + Math.floor(rng() * 16);
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const onBar = Math.abs((i % 2 === 0 ? x : y) - at) <= 2;
        out[(i * side + y) * side + x] = onBar ? 230 : Math.floor(rng() * 30);
      }
    }
  }
  return out;
}

export function tfjsSettings(
  model: string,
  extra: Partial<EmbedderSettings> = {},
): EmbedderSettings {
  return { ...DEFAULT_EMBEDDER_SETTINGS, embedder: 'tfjs-model', embedder_model: model, ...extra };
}

export async function tempFolder(prefix: string) {
  const folder = await mkdtemp(path.join(tmpdir(), prefix));
  return { folder, remove: () => rm(folder, { recursive: true, force: true }) };
}

/** Serves the files of `folder` on 127.0.0.1 (a free port); answers 404 for anything else. */
export async function serveFolder(folder: string) {
  const server = createServer((req, res) => {
    const name = path.basename(new URL(req.url ?? '/', 'http://x').pathname);
    readFile(path.join(folder, name)).then(
      (body) => res.writeHead(200).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}

export function norms(rows: Float32Array, dim: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < rows.length / dim; i++) {
    out.push(Math.hypot(...rows.subarray(i * dim, (i + 1) * dim)));
  }
  return out;
}

/** Euclidean distance between rows a and b. */
export function rowDistance(rows: Float32Array, dim: number, a: number, b: number): number {
  let sum = 0;
  for (let k = 0; k < dim; k++) sum += ((rows[a * dim + k] ?? 0) - (rows[b * dim + k] ?? 0)) ** 2;
  return Math.sqrt(sum);
}
