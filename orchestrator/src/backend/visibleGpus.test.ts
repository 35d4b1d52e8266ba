import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { visibleNvidiaGpus } from './visibleGpus';

test('GPUs are the nvidia<N> device files; control devices and a missing folder give none', async () => {
  const dev = await mkdtemp(path.join(tmpdir(), 'dev-'));
  try {
    for (const name of ['nvidiactl', 'nvidia-uvm', 'nvidia1', 'nvidia0', 'null']) {
      await writeFile(path.join(dev, name), '');
    }
    assert.deepEqual(await visibleNvidiaGpus(dev), ['nvidia0', 'nvidia1']);
    assert.deepEqual(await visibleNvidiaGpus(path.join(dev, 'absent')), []);
  } finally {
    await rm(dev, { recursive: true, force: true });
  }
});
