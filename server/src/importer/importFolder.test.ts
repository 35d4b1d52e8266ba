import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  ChannelListener,
  getProjectByName,
  RETRAIN_REQUESTED_CHANNEL,
  type DbSampleRow,
} from '@al/db';
import { createTestDatabase, type TestDatabase } from '@al/db/testing';
import { THUMBNAIL_SIZE } from '../images/thumbnailStore';
import { createLocalFolderDatasource, createLogger, resizeImage } from '@al/media';
import { ProjectMismatchError } from './ensureProject';
import {
  ImportError,
  importFolder,
  importFromDatasource,
  type ImportProgress,
} from './importFolder';
import {
  writeCorruptImages,
  writeNonImage,
  writePng,
  writeValidImages,
  type WrittenImage,
} from '@al/media/testing';

const logger = createLogger('silent');
const project = { name: 'formats', options: ['cat', 'dog'] };

let db: TestDatabase;
let folder: string;
let valid: WrittenImage[];
let corrupt: string[];

before(async () => {
  db = await createTestDatabase({ poolMax: 4 });
  folder = await mkdtemp(path.join(tmpdir(), 'import-test-'));
  valid = await writeValidImages(folder);
  corrupt = await writeCorruptImages(folder);
  await writeNonImage(folder);
});

after(async () => {
  await db.destroy();
  await rm(folder, { recursive: true, force: true });
});

async function samplesOf(name: string): Promise<DbSampleRow[]> {
  const p = await getProjectByName({ tx: db.knex, name });
  assert.ok(p, `project ${name} exists`);
  return db.knex<DbSampleRow>('samples').where({ project_id: p.id }).orderBy('source_uri');
}

test('imports every readable format with its size and hash, and names the corrupt files', async () => {
  const progress: ImportProgress[] = [];
  const summary = await importFolder({
    knex: db.knex,
    project,
    folder,
    logger,
    onProgress: (p) => progress.push(p),
  });

  assert.equal(summary.projectCreated, true);
  assert.equal(summary.found, valid.length + corrupt.length);
  assert.equal(summary.ignored, 1);
  assert.equal(summary.imported, valid.length);
  assert.equal(summary.alreadyImported, 0);
  assert.deepEqual(
    summary.failed.map((f) => f.relativePath),
    corrupt,
  );
  for (const failure of summary.failed) assert.ok(failure.reason.length > 0);
  assert.deepEqual(progress.at(-1), {
    total: summary.found,
    processed: summary.found,
    imported: valid.length,
    alreadyImported: 0,
    updated: 0,
    failed: corrupt.length,
  });

  const rows = await samplesOf(project.name);
  assert.equal(rows.length, valid.length);
  for (const image of valid) {
    const uri = path.join(folder, image.relativePath);
    const row = rows.find((r) => r.source_uri === uri);
    assert.ok(row, `${image.relativePath} was imported`);
    const bytes = await readFile(uri);
    assert.equal(row.width, image.width, `${image.relativePath} width`);
    assert.equal(row.height, image.height, `${image.relativePath} height`);
    assert.equal(row.byte_size, bytes.length);
    assert.equal(row.content_hash, createHash('sha256').update(bytes).digest('hex'));
    const firstByte = Number.parseInt(row.content_hash.slice(0, 2), 16);
    assert.equal(row.split, firstByte < 26 ? 'eval' : 'train');
  }

  const stored = await getProjectByName({ tx: db.knex, name: project.name });
  assert.ok(stored);
  assert.deepEqual(stored.options, project.options);
  assert.deepEqual(stored.source_roots, [folder]);
});

test('a re-import adds nothing, and adding one file adds exactly that file', async () => {
  const wakes = await listenForWakes();
  try {
    const again = await importFolder({ knex: db.knex, project, folder, logger });
    assert.equal(again.projectCreated, false);
    assert.equal(again.imported, 0);
    assert.equal(again.alreadyImported, valid.length);
    // Unreadable files stay unreadable: reported again, never inserted.
    assert.equal(again.failed.length, corrupt.length);

    await writePng(folder, 'nested/new.png', 42);
    const withNew = await importFolder({ knex: db.knex, project, folder, logger });
    assert.equal(withNew.imported, 1);
    assert.equal(withNew.alreadyImported, valid.length);
    const rows = await samplesOf(project.name);
    assert.equal(rows.length, valid.length + 1);
    const added = rows.find((r) => r.source_uri === path.join(folder, 'nested/new.png'));
    assert.ok(added);
    assert.equal(added.width, 20);
    assert.equal(added.height, 10);
    const stored = await getProjectByName({ tx: db.knex, name: project.name });
    assert.deepEqual(stored?.source_roots, [folder], 'the root is recorded once');
    await waitFor(() => wakes.payloads.length > 0, 'the orchestrators to be woken');
    assert.deepEqual(
      wakes.payloads.map((p) => JSON.parse(p) as unknown),
      [{ projectId: withNew.projectId }],
      'only the import that added an image wakes the orchestrators',
    );
  } finally {
    await wakes.close();
  }
});

/** Collects the payloads of retrain wake-ups sent while it listens. */
async function listenForWakes() {
  const payloads: string[] = [];
  const listener = new ChannelListener({
    databaseUrl: db.url,
    channel: RETRAIN_REQUESTED_CHANNEL,
    applicationName: 'import-test',
    onNotification: (payload) => payloads.push(payload ?? ''),
    onConnectionError: (err) => {
      throw err;
    },
  });
  await listener.start();
  return { payloads, close: () => listener.close() };
}

async function waitFor(done: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100 && !done(); i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(done(), `waited 2 s for ${what}`);
}

test('a long import wakes the orchestrators after its first chunk, not only at its end', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'import-chunks-'));
  const wakes = await listenForWakes();
  try {
    for (let i = 0; i < 6; i++) await writePng(dir, `img-${i}.png`, 100 + i);
    const folderSource = createLocalFolderDatasource(dir);
    // One file per page, and the listing waits before its fourth file until a wake arrived:
    // the first chunk (two files) must have woken the orchestrators while the import goes on.
    const datasource = {
      ...folderSource,
      async *list() {
        const entries = [];
        for await (const page of folderSource.list()) entries.push(...page);
        for (const [i, entry] of entries.entries()) {
          if (i === 3) await waitFor(() => wakes.payloads.length > 0, 'a wake mid-import');
          yield [entry];
        }
      },
    };
    const summary = await importFromDatasource({
      knex: db.knex,
      project: { name: 'chunked', options: ['a', 'b'] },
      datasource,
      chunkSize: 2,
      logger,
    });
    assert.equal(summary.imported, 6);
    await waitFor(() => wakes.payloads.length > 1, 'the wake at the end');
    assert.deepEqual(
      wakes.payloads.map((p) => JSON.parse(p) as unknown),
      [{ projectId: summary.projectId }, { projectId: summary.projectId }],
      'one wake after the first chunk, one for the images imported after it',
    );
  } finally {
    await wakes.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('refuses a project that exists with other settings', async () => {
  await assert.rejects(
    importFolder({
      knex: db.knex,
      project: { ...project, options: ['dog', 'cat'] },
      folder,
      logger,
    }),
    (err: unknown) =>
      err instanceof ProjectMismatchError &&
      /labels are cat,dog \(asked for dog,cat\)/.test(err.message),
  );
  await assert.rejects(
    importFolder({ knex: db.knex, project: { ...project, multiLabel: true }, folder, logger }),
    (err: unknown) => err instanceof ProjectMismatchError && /single-label/.test(err.message),
  );
  assert.equal((await samplesOf(project.name)).length, valid.length + 1);
});

test('a missing folder and a folder without images are clear errors that change nothing', async () => {
  const other = { name: 'nothing-here', options: ['a', 'b'] };
  await assert.rejects(
    importFolder({ knex: db.knex, project: other, folder: path.join(folder, 'nope'), logger }),
    (err: unknown) => err instanceof ImportError && /folder not found/.test(err.message),
  );
  const empty = await mkdtemp(path.join(tmpdir(), 'import-empty-'));
  try {
    await writeNonImage(empty);
    await assert.rejects(
      importFolder({ knex: db.knex, project: other, folder: empty, logger }),
      (err: unknown) => err instanceof ImportError && /no image files/.test(err.message),
    );
  } finally {
    await rm(empty, { recursive: true, force: true });
  }
  assert.equal(await getProjectByName({ tx: db.knex, name: other.name }), undefined);
});

test('--process-all writes the thumbnail of a changed original again, and leaves the others', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'import-thumbs-'));
  try {
    const settings = { thumbnailSuffix: '_thumb' };
    const thumbs = { name: 'thumbs', options: ['a', 'b'] };
    await writePng(root, 'same.png', 1);
    await writePng(root, 'changes.png', 2);
    await importFolder({
      knex: db.knex,
      project: thumbs,
      folder: root,
      logger,
      imageSettings: settings,
    });
    // Thumbnails as the server would have written them for the first versions.
    const thumbOf = async (name: string) =>
      (await resizeImage(await readFile(path.join(root, name)), THUMBNAIL_SIZE, 'png')).body;
    const sameThumb = await thumbOf('same.png');
    await writeFile(path.join(root, 'same_thumb.png'), sameThumb);
    await writeFile(path.join(root, 'changes_thumb.png'), await thumbOf('changes.png'));

    await writePng(root, 'changes.png', 3);
    const summary = await importFolder({
      knex: db.knex,
      project: thumbs,
      folder: root,
      logger,
      processAll: true,
    });
    assert.equal(summary.updated, 1);
    assert.equal(summary.imported, 0, 'thumbnails are not imported as images');
    assert.deepEqual(
      await readFile(path.join(root, 'changes_thumb.png')),
      await thumbOf('changes.png'),
    );
    assert.deepEqual(await readFile(path.join(root, 'same_thumb.png')), sameThumb);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('an import given a page stores it on the project; one without keeps it', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'import-page-'));
  try {
    await writePng(root, 'one.png', 1);
    const stacks = { name: 'stacks', options: ['a', 'b'] };
    await importFolder({
      knex: db.knex,
      project: stacks,
      folder: root,
      logger,
      imageSettings: { page: 'max' },
    });
    assert.equal((await getProjectByName({ tx: db.knex, name: 'stacks' }))?.image_page, 'max');
    await importFolder({ knex: db.knex, project: stacks, folder: root, logger, imageSettings: {} });
    assert.equal((await getProjectByName({ tx: db.knex, name: 'stacks' }))?.image_page, 'max');
    await importFolder({
      knex: db.knex,
      project: stacks,
      folder: root,
      logger,
      imageSettings: { page: 3 },
    });
    assert.equal((await getProjectByName({ tx: db.knex, name: 'stacks' }))?.image_page, '3');
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
