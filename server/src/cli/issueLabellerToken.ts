/**
 * Issues a labeller their own token for LABELLER_TOKENS_FILE: writes `name:<sha256 hex>` into
 * the file (replacing that name's earlier line, so it also rotates a token) and prints the token
 * once. The file never holds a usable token. `--revoke` removes the name instead. A running
 * server picks the change up within seconds.
 * Usage: tsx server/src/cli/issueLabellerToken.ts --file labellers.txt --name alice [--revoke]
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { parseTokensFile, sha256 } from '../app/labellerAccess';

const ArgsSchema = z.object({
  file: z.string({ error: '--file is required' }).min(1),
  // The handshake trims names the same way; a colon would split the line differently.
  name: z
    .string({ error: '--name is required' })
    .trim()
    .min(1)
    .max(64)
    .refine((n) => !n.includes(':') && !n.includes('\n'), 'a name cannot contain ":"'),
  revoke: z.boolean().default(false),
});

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      file: { type: 'string' },
      name: { type: 'string' },
      revoke: { type: 'boolean' },
    },
  });
  const args = ArgsSchema.parse(values);
  const text = existsSync(args.file) ? await readFile(args.file, 'utf8') : '';
  const digests = parseTokensFile(text); // refuses a malformed file before rewriting it
  digests.delete(args.name);
  const token = randomBytes(24).toString('base64url');
  if (!args.revoke) digests.set(args.name, sha256(token));
  const lines = [...digests].map(([name, digest]) => `${name}:${digest.toString('hex')}`);
  await writeFile(
    args.file,
    `# name:sha256(token), written by issueLabellerToken\n${lines.join('\n')}\n`,
    {
      mode: 0o600,
    },
  );
  if (args.revoke) console.log(`revoked ${args.name}; running servers apply it within seconds`);
  else
    console.log(
      `token for ${args.name} (shown once; running servers accept it within seconds):\n${token}`,
    );
}

main().catch((err: unknown) => {
  console.error(err instanceof z.ZodError ? z.prettifyError(err) : err);
  process.exit(1);
});
