/**
 * Where a backbone's files come from: an absolute path (or file:// URL) on this machine, or an
 * http(s) URL. Plain @tensorflow/tfjs has no file:// handler (tfjs-node has one but may not be
 * installed), so a local TF.js model is read here: model.json, checked with zod, and the
 * weight files its manifest lists, beside it. Every source answers a digest of what it read,
 * so the embedder's key changes when the model does.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { io } from '@tensorflow/tfjs';
import { z } from 'zod';
import type { TensorFlow } from '../backend/chooseBackend';
import { EmbedderLoadError } from './poolEmbedder';

type ModelLocation = { kind: 'file'; path: string } | { kind: 'http'; url: string };

export function parseModelLocation(location: string): ModelLocation {
  if (/^https?:\/\//i.test(location)) return { kind: 'http', url: location };
  if (/^file:\/\//i.test(location)) return { kind: 'file', path: fileURLToPath(location) };
  if (path.isAbsolute(location)) return { kind: 'file', path: location };
  throw new EmbedderLoadError(`model location ${location} is neither an absolute path nor a URL`);
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function readLocal(file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new EmbedderLoadError(
      missing ? `${what} not found: ${file}` : `${what} ${file} unreadable: ${reason(err)}`,
      { cause: err },
    );
  }
}

async function fetchBytes(url: string, fetchFunc: typeof fetch, what: string): Promise<Buffer> {
  let res: Response;
  try {
    res = await fetchFunc(url);
  } catch (err) {
    throw new EmbedderLoadError(`${what} ${url} could not be fetched: ${reason(err)}`, {
      cause: err,
    });
  }
  if (!res.ok) throw new EmbedderLoadError(`${what} ${url} answered HTTP ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

function digestOf(parts: readonly (string | ArrayBuffer | Uint8Array)[]): string {
  const hash = createHash('sha256');
  for (const p of parts) hash.update(p instanceof ArrayBuffer ? new Uint8Array(p) : p);
  return hash.digest('hex').slice(0, 16);
}

/** An ONNX file (or any single-file model): its bytes and digest. */
export async function readModelBytes(
  location: string,
  fetchFunc: typeof fetch = fetch,
): Promise<{ bytes: Uint8Array; digest: string }> {
  const where = parseModelLocation(location);
  const bytes =
    where.kind === 'http'
      ? await fetchBytes(where.url, fetchFunc, 'model')
      : await readLocal(where.path, 'model file');
  return { bytes: new Uint8Array(bytes), digest: digestOf([bytes]) };
}

const weightEntrySchema = z.looseObject({
  name: z.string(),
  shape: z.array(z.int().nonnegative()),
  dtype: z.string(),
  quantization: z.optional(z.looseObject({ dtype: z.string() })),
});

/** The parts of a TF.js model.json the loaders rely on; the rest passes through to tfjs. */
const modelJsonSchema = z.looseObject({
  format: z.optional(z.string()),
  modelTopology: z.record(z.string(), z.unknown()),
  weightsManifest: z._default(
    z.array(
      z.looseObject({ paths: z.array(z.string().min(1)), weights: z.array(weightEntrySchema) }),
    ),
    [],
  ),
});

const BYTES_PER_VALUE: Record<string, number> = {
  float32: 4,
  int32: 4,
  float16: 2,
  uint16: 2,
  int16: 2,
  uint8: 1,
  bool: 1,
};

/** Bytes the manifest's weights take; undefined when a dtype's size is not fixed (strings). */
function expectedWeightBytes(entries: readonly z.infer<typeof weightEntrySchema>[]) {
  let total = 0;
  for (const e of entries) {
    const size = BYTES_PER_VALUE[e.quantization?.dtype ?? e.dtype];
    if (size === undefined) return undefined;
    total += size * e.shape.reduce((a, b) => a * b, 1);
  }
  return total;
}

async function readLocalArtifacts(tf: TensorFlow, location: string): Promise<io.ModelArtifacts> {
  const isFolder = await stat(location).then(
    (s) => s.isDirectory(),
    () => false,
  );
  const file =
    isFolder || !location.endsWith('.json') ? path.join(location, 'model.json') : location;
  const text = (await readLocal(file, 'model.json')).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new EmbedderLoadError(`${file} is not JSON: ${reason(err)}`, { cause: err });
  }
  const parsed = modelJsonSchema.safeParse(json);
  if (!parsed.success) {
    throw new EmbedderLoadError(
      `${file} is not a TF.js model.json:\n${z.prettifyError(parsed.error)}`,
      { cause: parsed.error },
    );
  }
  const folder = path.dirname(file);
  const manifest = parsed.data.weightsManifest;
  const buffers: ArrayBuffer[] = [];
  for (const weightFile of manifest.flatMap((group) => group.paths)) {
    const full = path.resolve(folder, weightFile);
    if (!full.startsWith(folder + path.sep)) {
      throw new EmbedderLoadError(`${file} lists a weight file outside its folder: ${weightFile}`);
    }
    const bytes = await readLocal(full, `weight file of ${file}`);
    buffers.push(Uint8Array.from(bytes).buffer);
  }
  const read = buffers.reduce((sum, b) => sum + b.byteLength, 0);
  const expected = expectedWeightBytes(manifest.flatMap((group) => group.weights));
  if (expected !== undefined && read !== expected) {
    throw new EmbedderLoadError(
      `${file}: its weights list ${expected} bytes, the files hold ${read}`,
    );
  }
  const modelJson = parsed.data as unknown as io.ModelJSON;
  return tf.io.getModelArtifactsForJSON(modelJson, (m) =>
    Promise.resolve([tf.io.getWeightSpecs(m), buffers]),
  );
}

async function readHttpArtifacts(
  tf: TensorFlow,
  url: string,
  fetchFunc: typeof fetch,
): Promise<io.ModelArtifacts> {
  try {
    const handler = tf.io.http(url, { fetchFunc });
    if (!handler.load) throw new Error('tf.io.http gave no load handler');
    return await handler.load();
  } catch (err) {
    throw new EmbedderLoadError(`TF.js model ${url} could not be loaded: ${reason(err)}`, {
      cause: err,
    });
  }
}

/** A TF.js model's artifacts (topology, weight specs, weights) and their digest. */
export async function readTfjsArtifacts(
  tf: TensorFlow,
  location: string,
  fetchFunc: typeof fetch = fetch,
): Promise<{ artifacts: io.ModelArtifacts; digest: string }> {
  const where = parseModelLocation(location);
  const artifacts =
    where.kind === 'http'
      ? await readHttpArtifacts(tf, where.url, fetchFunc)
      : await readLocalArtifacts(tf, where.path);
  const weights = artifacts.weightData ?? [];
  const digest = digestOf([
    JSON.stringify(artifacts.modelTopology ?? null),
    JSON.stringify(artifacts.weightSpecs ?? []),
    ...(Array.isArray(weights) ? weights : [weights]),
  ]);
  return { artifacts, digest };
}
