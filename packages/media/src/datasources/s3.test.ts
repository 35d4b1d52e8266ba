import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createDatasource, rootContaining } from './createDatasource';
import { createS3Datasource, parseS3Uri } from './s3';
import { describeS3Error, S3DatasourceError } from './s3Errors';
import { startS3rver, type TestS3 } from '../testing/startS3rver';

let s3: TestS3;

before(async () => {
  s3 = await startS3rver();
  await s3.createBucket('photos');
  await Promise.all(
    [
      ['set/a b/ü photo.png', 'one'],
      ['set/nested/deeper/x.png', 'two'],
      ['set/', ''], // a "folder" placeholder object
      ['setother/y.png', 'not under set/'],
    ].map(([key = '', body = '']) => s3.put('photos', key, Buffer.from(body))),
  );
});

after(async () => {
  await s3.close();
});

async function listPages(uri: string, options = s3.options) {
  const pages = [];
  for await (const page of createS3Datasource(uri, options).list()) pages.push(page);
  return pages;
}

async function listAll(uri: string, options = s3.options) {
  return (await listPages(uri, options)).flat();
}

test('parses s3 URIs and refuses other strings', () => {
  assert.deepEqual(parseS3Uri('s3://bkt/a/b/'), { bucket: 'bkt', prefix: 'a/b' });
  assert.deepEqual(parseS3Uri('s3://bkt'), { bucket: 'bkt', prefix: '' });
  assert.throws(() => parseS3Uri('s3:///x'), S3DatasourceError);
  assert.throws(() => parseS3Uri('/tmp/x'), S3DatasourceError);
});

test('lists only keys under the prefix, verbatim (spaces, unicode, nesting), and reads them', async () => {
  const ds = createS3Datasource('s3://photos/set/', s3.options);
  assert.equal(ds.root, 's3://photos/set');
  const entries = await listAll('s3://photos/set');
  assert.deepEqual(
    entries.map((e) => [e.uri, e.relativePath, e.size]),
    [
      ['s3://photos/set/a b/ü photo.png', 'a b/ü photo.png', 3],
      ['s3://photos/set/nested/deeper/x.png', 'nested/deeper/x.png', 3],
    ],
  );
  assert.equal((await ds.read('s3://photos/set/a b/ü photo.png')).toString(), 'one');
  await assert.rejects(ds.read('s3://photos/setother/y.png'), /is not inside s3:\/\/photos\/set/);
  await assert.rejects(ds.read('s3://photos/set/missing.png'), /object .* does not exist/);
});

test('writes under the prefix and presigns a URL a plain fetch can load', async () => {
  const ds = createS3Datasource('s3://photos/set', s3.options);
  const uri = await ds.write('thumbs/t.png', Buffer.from('thumb'));
  assert.equal(uri, 's3://photos/set/thumbs/t.png');
  await assert.rejects(ds.write('../escape.png', Buffer.from('x')), /not inside/);
  assert.ok(ds.presign);
  const url = await ds.presign(uri, 60);
  const answer = await fetch(url);
  assert.equal(answer.status, 200);
  assert.equal(await answer.text(), 'thumb');
});

test('pages through more than 1,000 keys', async () => {
  await s3.createBucket('many');
  const count = 1_234;
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      s3.put('many', `k/${String(i).padStart(5, '0')}.png`, Buffer.from([i % 256])),
    ),
  );
  const pages = await listPages('s3://many/k');
  // Streamed one ListObjectsV2 answer at a time, never the whole bucket as one array.
  assert.deepEqual(
    pages.map((p) => p.length),
    [1_000, 234],
  );
  const entries = pages.flat();
  assert.equal(entries.length, count);
  assert.equal(new Set(entries.map((e) => e.uri)).size, count);
});

test('a missing bucket and an unknown access key give one clear sentence', async () => {
  await assert.rejects(listAll('s3://no-such-bucket/x'), {
    name: 'S3DatasourceError',
    message: 'bucket no-such-bucket does not exist',
  });
  const wrong = { ...s3.options, credentials: { accessKeyId: 'WRONG', secretAccessKey: 'nope' } };
  await assert.rejects(
    listAll('s3://photos/set', wrong),
    /^S3DatasourceError: wrong AWS credentials/,
  );
});

test('access denied names the missing permission per operation', () => {
  // s3rver has no bucket policies, so AccessDenied is exercised on the mapping alone.
  const denied = Object.assign(new Error('Access Denied'), { name: 'AccessDenied' });
  const at = 's3://b/p/k.png';
  assert.equal(
    describeS3Error(denied, 'list', 'b', 's3://b/p').message,
    'missing permission s3:ListBucket on b',
  );
  assert.equal(
    describeS3Error(denied, 'get', 'b', at).message,
    `missing permission s3:GetObject on ${at}`,
  );
  assert.equal(
    describeS3Error(denied, 'put', 'b', at).message,
    `missing permission s3:PutObject on ${at}`,
  );
  const badSig = Object.assign(new Error('x'), { name: 'SignatureDoesNotMatch' });
  assert.match(describeS3Error(badSig, 'get', 'b', at).message, /^wrong AWS credentials/);
});

test('createDatasource reads local paths and s3 URIs alike through the root that holds them', async () => {
  const roots = ['/data/a', 's3://photos/set', 's3://photos/set2'];
  assert.equal(rootContaining('s3://photos/set/x.png', roots), 's3://photos/set');
  assert.equal(rootContaining('s3://photos/set2/x.png', roots), 's3://photos/set2');
  assert.equal(rootContaining('/data/a/b/c.png', roots), '/data/a');
  assert.equal(rootContaining('/data/ab/c.png', roots), undefined);
  const uri = 's3://photos/set/a b/ü photo.png';
  const root = rootContaining(uri, roots) ?? '';
  assert.equal((await createDatasource(root, s3.options).read(uri)).toString(), 'one');
});
