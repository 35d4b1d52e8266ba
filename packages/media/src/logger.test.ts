import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger, usePrettyLogs } from './logger';

/** What `fn` writes to process.stdout. */
function stdoutOf(fn: () => void): string {
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  };
  try {
    fn();
  } finally {
    process.stdout.write = write;
  }
  return chunks.join('');
}

test('LOG_FORMAT=auto is pretty on a terminal only; json and pretty force one', () => {
  assert.equal(usePrettyLogs('auto', { isTTY: true }), true);
  assert.equal(usePrettyLogs('auto', {}), false, 'a pipe leaves isTTY undefined');
  assert.equal(usePrettyLogs('json', { isTTY: true }), false);
  assert.equal(usePrettyLogs('pretty', {}), true);
});

test('pretty lines: one line per entry, component and request in the message, secrets redacted', () => {
  const out = stdoutOf(() => {
    const logger = createLogger('info', { pretty: true });
    logger.child({ component: 'http' }).info(
      {
        req: { method: 'GET', url: '/api/projects', headers: { authorization: 'Bearer s3cret' } },
        res: { statusCode: 200 },
        responseTime: 4,
      },
      'request completed',
    );
    logger.warn({ token: 'tok-s3cret', port: 8866 }, 'ready');
  });
  const lines = out.trimEnd().split('\n');
  assert.equal(lines.length, 2, out);
  assert.match(lines[0] ?? '', /INFO.*\[http\] request completed GET \/api\/projects 200 4 ms/);
  assert.match(lines[1] ?? '', /WARN.*ready.*"port":8866/);
  assert.doesNotMatch(out, /s3cret/);
});
