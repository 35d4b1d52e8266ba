import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { hashUiSources, readStamp, writeStamp } from './uiSources';

test('the UI sources hash changes with a source, ignores tests, and a stamp records it', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'ui-sources-'));
  try {
    await mkdir(path.join(root, 'labeller-ui/src/admin'), { recursive: true });
    await mkdir(path.join(root, 'labeller-ui/dist'), { recursive: true });
    const write = (file: string, text: string) => writeFile(path.join(root, file), text);
    await write('labeller-ui/src/admin/Page.tsx', 'export const a = 1;');
    await write('labeller-ui/vite.config.ts', 'export default {};');
    const first = await hashUiSources(root);

    await write('labeller-ui/src/admin/Page.test.tsx', 'test');
    assert.equal(await hashUiSources(root), first, 'a test file is not part of the bundle');

    await write('labeller-ui/src/admin/Page.tsx', 'export const a = 2;');
    const changed = await hashUiSources(root);
    assert.notEqual(changed, first);

    assert.equal(await readStamp(root), undefined, 'no stamp before a build');
    await writeStamp(root, changed);
    assert.equal(await readStamp(root), changed);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
