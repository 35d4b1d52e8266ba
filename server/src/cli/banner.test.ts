import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startBanner } from './banner';

test('the banner names the labelling and admin URLs, and the token only when generated', () => {
  const generated = startBanner({
    host: '0.0.0.0',
    port: 8866,
    networkAddresses: ['192.168.1.20'],
    generatedAdminToken: 'tok-123',
    orchestrator: true,
  });
  assert.match(generated, /Label: +http:\/\/localhost:8866\n/);
  assert.match(generated, /http:\/\/192\.168\.1\.20:8866 +\(for others on your network\)/);
  assert.match(generated, /Admin: +http:\/\/localhost:8866\/admin\n/);
  assert.match(generated, /Admin token: +tok-123\n/);

  const configured = startBanner({
    host: '127.0.0.1',
    port: 9000,
    networkAddresses: ['192.168.1.20'],
    orchestrator: false,
  });
  assert.match(configured, /Label: +http:\/\/127\.0\.0\.1:9000\n/);
  assert.doesNotMatch(configured, /192\.168/, 'a loopback-only server is not shown as reachable');
  assert.doesNotMatch(configured, /token/i);
  assert.match(configured, /START_ORCHESTRATOR=false/);
});
