import { createHash } from 'node:crypto';
import type { NewSample } from '@al/db';
import type { Datasource, DatasourceEntry } from '@al/media';
import { inspectImage } from '@al/media';
import { importPriorityForContentHash, splitForContentHash } from './evalSplit';

export interface ImportFailure {
  relativePath: string;
  reason: string;
}

export type FileOutcome = { sample: NewSample } | { failure: ImportFailure };

/** Reads one object, decodes it fully and describes it as a sample, or says why it cannot. */
export async function readAndInspect(
  datasource: Datasource,
  entry: DatasourceEntry,
): Promise<FileOutcome> {
  try {
    const bytes = await datasource.read(entry.uri);
    const { width, height } = await inspectImage(bytes);
    const contentHash = createHash('sha256').update(bytes).digest('hex');
    return {
      sample: {
        sourceUri: entry.uri,
        contentHash,
        width,
        height,
        byteSize: bytes.length,
        split: splitForContentHash(contentHash),
        priority: importPriorityForContentHash(contentHash),
      },
    };
  } catch (err) {
    // One unreadable file must not stop the import: it is reported by name instead.
    const reason = err instanceof Error ? err.message : String(err);
    return { failure: { relativePath: entry.relativePath, reason } };
  }
}
