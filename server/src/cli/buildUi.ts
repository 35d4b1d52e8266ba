/**
 * `npm start`'s prestart: runs `npm run build:ui` only when the UI's sources changed since the
 * bundle in labeller-ui/dist was built (see uiSources.ts); otherwise says so and exits at once.
 * Usage: tsx server/src/cli/buildUi.ts [--force]
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { hashUiSources, readStamp, writeStamp } from './uiSources';

const ROOT = path.resolve(import.meta.dirname, '../../..');

function runBuild(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'build:ui'], { cwd: ROOT, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code) => {
      resolve(code ?? 1);
    });
  });
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { force: { type: 'boolean', default: false } } });
  const hash = await hashUiSources(ROOT);
  const built = existsSync(path.join(ROOT, 'labeller-ui/dist/index.html'));
  if (!values.force && built && (await readStamp(ROOT)) === hash) {
    console.log('labeller UI: up to date (sources unchanged since the last build)');
    return 0;
  }
  console.log(built ? 'labeller UI: sources changed, rebuilding' : 'labeller UI: building');
  const code = await runBuild();
  // Stamped with the hash taken before the build: an edit made during it rebuilds next time.
  if (code === 0) await writeStamp(ROOT, hash);
  return code;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error('labeller UI build failed:', err);
    process.exitCode = 1;
  },
);
