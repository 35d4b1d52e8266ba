import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import sharp from 'sharp';
import { io as connect, type Socket } from 'socket.io-client';
import { createProject, insertSamples, type DbProjectRow } from '@al/db';
import { createApp, type App, type CreateAppDeps } from '@al/server';
import type {
  Ack,
  ClientEvent,
  ClientPayload,
  ClientResult,
  ClientToServerEvents,
  ServerToClientEvents,
} from '@al/contract';
import { createLogger } from '@al/media';
import type { TestDatabase } from '@al/db/testing';

export type LabellerClient = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface Fixture {
  project: DbProjectRow;
  dir: string;
  files: string[];
  cleanup: () => Promise<void>;
}

/** A solid-colour PNG, distinct per index so every file has its own content hash. */
export async function pngBytes(index: number, width = 32, height = 24): Promise<Buffer> {
  return sharp({
    create: {
      width,
      height,
      channels: 3,
      background: { r: index % 256, g: Math.floor(index / 256) % 256, b: 77 },
    },
  })
    .png()
    .toBuffer();
}

/** A project whose source root is a temp folder of real PNGs, one sample per file. */
export async function createFixtureProject(
  knex: Knex,
  opts: { name: string; samples: number; options?: string[]; multiLabel?: boolean },
): Promise<Fixture> {
  const dir = await mkdtemp(path.join(tmpdir(), 'labeller-images-'));
  const project = await createProject({
    tx: knex,
    project: {
      name: opts.name,
      options: opts.options ?? ['cat', 'dog', 'bird'],
      multiLabel: opts.multiLabel ?? false,
      sourceRoots: [dir],
    },
  });
  const files: string[] = [];
  const samples = [];
  for (let i = 0; i < opts.samples; i++) {
    const bytes = await pngBytes(i);
    const file = path.join(dir, `img-${String(i).padStart(5, '0')}.png`);
    await writeFile(file, bytes);
    files.push(file);
    samples.push({
      sourceUri: file,
      contentHash: createHash('sha256').update(bytes).digest('hex'),
      width: 32,
      height: 24,
      byteSize: bytes.length,
      // Descending priorities: the hand-out order is the file order.
      priority: opts.samples - i,
    });
  }
  await insertSamples({ tx: knex, projectId: project.id, samples });
  return { project, dir, files, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export interface RunningApp {
  app: App;
  url: string;
  close: () => Promise<void>;
}

/** createApp on an OS-assigned port on loopback. */
export async function startApp(
  db: TestDatabase,
  overrides: Omit<Partial<CreateAppDeps>, 'config'> & {
    config?: Partial<CreateAppDeps['config']>;
  } = {},
): Promise<RunningApp> {
  const app = await createApp({
    knex: db.knex,
    databaseUrl: db.url,
    logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    progress: { maxAgeMs: 50, broadcastEveryMs: 100 },
    ...overrides,
    config: {
      ADMIN_TOKEN: 'test-admin-token-0123456789',
      LABELLER_TOKEN: undefined,
      LEASE_TTL_SECONDS: 30,
      ...overrides.config,
    },
  });
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = app.httpServer.address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

/** A connected socket.io client; rejects with the server's connect_error message. */
export async function connectClient(
  url: string,
  auth: { name: string; project?: string; token?: string } | Record<string, unknown>,
): Promise<LabellerClient> {
  const socket: LabellerClient = connect(url, {
    auth,
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => {
      resolve();
    });
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
  return socket;
}

/**
 * Sends an event with any arguments, malformed ones included, and resolves with the ack as
 * received (unknown: the server's answer to junk is what a test inspects). Rejects when no ack
 * comes within 5 s.
 */
export function emitRaw(
  socket: LabellerClient,
  event: string,
  ...args: unknown[]
): Promise<unknown> {
  return ackWithin(socket, 5000, event, args);
}

/**
 * Sends a contract event and resolves with its ack, typed by the event name (payload and ack
 * data from the contract's ClientToServerEvents). Rejects when no ack comes within `ms`.
 */
export function emitWithAck<E extends ClientEvent>(
  socket: LabellerClient,
  event: E,
  payload: ClientPayload<E>,
  ms = 5000,
): Promise<Ack<ClientResult<E>>> {
  // socket.io-client cannot match a payload to an event name that is a type parameter (and
  // types timeout().emitWithAck's answer as its Error argument), so the ack is typed here once,
  // from the contract the payload was checked against.
  return ackWithin(socket, ms, event, [payload]) as Promise<Ack<ClientResult<E>>>;
}

function ackWithin(
  socket: LabellerClient,
  ms: number,
  event: string,
  args: unknown[],
): Promise<unknown> {
  const untyped = socket as unknown as {
    timeout: (ms: number) => { emitWithAck: (e: string, ...a: unknown[]) => Promise<unknown> };
  };
  return untyped.timeout(ms).emitWithAck(event, ...args);
}

/** `sample:next` that must succeed: the sample handed out (null when nothing is left). */
export async function takeNext(client: LabellerClient) {
  const ack = await emitWithAck(client, 'sample:next', {});
  if (!('data' in ack)) throw new Error(`next failed: ${ack.error.code}`);
  return ack.data.sample;
}

/** `sample:label` that must succeed. */
export async function labelAs(client: LabellerClient, sampleId: number, value = 'cat') {
  const ack = await emitWithAck(client, 'sample:label', { sampleId, value });
  if (!('data' in ack)) throw new Error(`label failed: ${ack.error.code}`);
  return ack.data;
}

/** Resolves with the first `event` whose payload satisfies `accept`, or rejects after `ms`. */
export function waitForEvent<E extends keyof ServerToClientEvents>(
  socket: LabellerClient,
  event: E,
  accept: (payload: Parameters<ServerToClientEvents[E]>[0]) => boolean = () => true,
  ms = 5000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${event} within ${ms} ms`));
    }, ms);
    const listener = (payload: Parameters<ServerToClientEvents[E]>[0]) => {
      if (!accept(payload)) return;
      off();
      resolve(payload);
    };
    const on = socket as unknown as {
      on: (e: string, l: (p: never) => void) => void;
      off: (e: string, l: (p: never) => void) => void;
    };
    const off = () => {
      clearTimeout(timer);
      on.off(event, listener);
    };
    on.on(event, listener);
  });
}

export async function labelRowCount(knex: Knex): Promise<number> {
  const rows = await knex('labels').count<{ count: string }[]>('* as count');
  return Number(rows[0]?.count ?? 0);
}
