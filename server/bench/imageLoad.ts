// Child process of bench/images.ts: runs autocannon against the paths given as JSON in PATHS
// and prints its result as one JSON line. Separate from the server so the load generator does
// not share the server's event loop.
import autocannon from 'autocannon';
import { z } from 'zod';

const env = z
  .object({
    URL: z.url(),
    PATHS: z.string().transform((s) => z.array(z.string()).parse(JSON.parse(s))),
    CONNECTIONS: z.coerce.number().int().positive(),
    SECONDS: z.coerce.number().positive(),
  })
  .parse(process.env);

const result = await autocannon({
  url: env.URL,
  connections: env.CONNECTIONS,
  duration: env.SECONDS,
  requests: env.PATHS.map((path) => ({ method: 'GET', path })),
});
process.stdout.write(
  JSON.stringify({
    requestsPerSecond: result.requests.average,
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    bytesPerSecond: result.throughput.average,
  }) + '\n',
);
