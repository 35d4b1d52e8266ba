/** bench:images: an import started from the admin route, timed like the CLI importer's runs. */
import { ImportAcceptedSchema, ImportJobSchema } from '@al/contract';

/** A project made through the admin route, timed until its import job reports done. */
export async function adminImport(
  served: { app: { adminToken: string }; url: string },
  folder: string,
): Promise<{ objects: number; seconds: number }> {
  const started = performance.now();
  const headers = {
    authorization: `Bearer ${served.app.adminToken}`,
    'content-type': 'application/json',
  };
  const created = await fetch(`${served.url}/api/projects`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ name: 'admin-local', labels: ['a', 'b'], source: folder }),
  });
  const { importId } = ImportAcceptedSchema.parse(await created.json());
  for (;;) {
    const answer = await fetch(`${served.url}/api/imports/${String(importId)}`, { headers });
    const job = ImportJobSchema.parse(await answer.json());
    if (job.status === 'failed') throw new Error(`admin import failed: ${job.error ?? ''}`);
    if (job.status === 'done')
      return { objects: job.total, seconds: (performance.now() - started) / 1000 };
    // The admin page polls every 500 ms; 100 ms here keeps the timing honest.
    await new Promise((r) => setTimeout(r, 100));
  }
}
