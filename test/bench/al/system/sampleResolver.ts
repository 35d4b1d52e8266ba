/**
 * Which pool image a handed-out sample is. First choice: the contract's final label view
 * (`labels?format=jsonl&view=final`, one row per image with its sampleId and uri), read once
 * after import. When the server does not give it, every hand-out's image is fetched as a
 * labeller's browser would, and its ETag (which starts with the sha256 of the file) is matched
 * against the files we wrote.
 */
import path from 'node:path';
import type { SystemApi } from './api';

const IMAGE_SIZE = 128;

export class SampleResolver {
  private readonly bySampleId = new Map<number, number>();
  private readonly byHash = new Map<string, number>();

  private constructor(
    private readonly api: SystemApi,
    readonly method: string,
  ) {}

  static async create(
    api: SystemApi,
    fileNames: string[],
    hashes: string[],
  ): Promise<SampleResolver> {
    const byName = new Map(fileNames.map((name, i) => [name, i]));
    let viewNote: string;
    try {
      const { rows, lines } = await api.finalView();
      const resolver = new SampleResolver(api, 'final view (labels?view=final)');
      for (const row of rows) {
        const index = byName.get(path.basename(row.uri));
        if (index !== undefined) resolver.bySampleId.set(row.sampleId, index);
      }
      if (resolver.bySampleId.size === fileNames.length) return resolver;
      viewNote = `labels?view=final gave ${lines} lines, ${rows.length} with sampleId+uri, ${resolver.bySampleId.size} of ${fileNames.length} images mapped`;
    } catch (err) {
      viewNote = `labels?view=final failed: ${err instanceof Error ? err.message : String(err)}`;
    }
    const resolver = new SampleResolver(api, `image ETag (${viewNote})`);
    hashes.forEach((hash, i) => resolver.byHash.set(hash.slice(0, 32), i));
    return resolver;
  }

  get usesFinalView(): boolean {
    return this.byHash.size === 0;
  }

  /** Loads the sample's image (what a labeller looks at) and says which pool image it is. */
  async resolve(sample: { id: number; imageUrl: string }): Promise<number> {
    const etag = await this.api.imageEtag(sample.imageUrl, IMAGE_SIZE);
    const known = this.bySampleId.get(sample.id);
    if (known !== undefined) return known;
    const hash = etag?.replace(/^W\//, '').replace(/^"/, '').split('-')[0] ?? '';
    const index = this.byHash.get(hash);
    if (index === undefined) {
      throw new Error(
        `cannot tell which image sample ${sample.id} is: ${this.method}; its image ETag ${String(etag)} matches no file written`,
      );
    }
    this.bySampleId.set(sample.id, index);
    return index;
  }
}
