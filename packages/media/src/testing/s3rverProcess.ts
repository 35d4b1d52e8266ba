// Runs s3rver on 127.0.0.1 (free port) over the folder given as argv[2]; prints the port as
// one JSON line once listening, and exits when its parent closes stdin.
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

type S3rverConstructor = new (options: {
  address: string;
  port: number;
  directory: string;
  silent: boolean;
}) => { run: () => Promise<AddressInfo>; close: () => Promise<void> };
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

const directory = process.argv[2];
if (directory === undefined) throw new Error('usage: s3rverProcess <directory>');
const server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true });
const { port } = await server.run();
process.stdout.write(JSON.stringify({ port }) + '\n');
process.stdin.resume();
process.stdin.on('end', () => {
  void server.close().finally(() => process.exit(0));
});
