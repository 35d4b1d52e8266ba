/**
 * Child process of `npm run bench:sustained`: the labelling server alone (no orchestrator),
 * on DATABASE_URL, listening on a free port. Prints `{"port": N}` once listening and answers
 * every IPC message with its own memory use, so the parent can sample RSS per window.
 */
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { createDb } from '@al/db';
import { createApp } from '../src/app/createApp';
import { createLogger } from '@al/media';

const env = z
  .object({
    DATABASE_URL: z.url(),
    POOL: z.coerce.number().int().positive(),
    LEASE_TTL_SECONDS: z.coerce.number().int().positive(),
  })
  .parse(process.env);

async function main(): Promise<void> {
  const knex = createDb({ connectionString: env.DATABASE_URL, poolMax: env.POOL });
  const app = await createApp({
    knex,
    databaseUrl: env.DATABASE_URL,
    logger: createLogger('warn'),
    config: {
      ADMIN_TOKEN: 'bench-admin-token-0123456789',
      LABELLER_TOKEN: undefined,
      LEASE_TTL_SECONDS: env.LEASE_TTL_SECONDS,
    },
  });
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = app.httpServer.address() as AddressInfo;
  process.on('message', () => {
    process.send?.({ rss: process.memoryUsage().rss, cpu: process.cpuUsage() });
  });
  process.once('SIGTERM', () => {
    void app
      .close()
      .then(() => knex.destroy())
      .then(() => process.exit(0));
  });
  console.log(JSON.stringify({ port }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
