import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { chooseBackend } from './chooseBackend';

const logger = pino({ level: 'silent' });

// The native packages cannot install on this build machine, so this asserts the fallback
// that the machine really has; on a machine with tfjs-node the first test would need adjusting.
test('without TF_BACKEND, falls back past the missing native backends to wasm', async () => {
  const { name, tf } = await chooseBackend({ env: {}, logger });
  assert.equal(name, 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
  const product = tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]]));
  assert.deepEqual(Array.from(await product.data()), [11]);
});

test('an empty TF_BACKEND chooses, like an unset one', async () => {
  const { name } = await chooseBackend({ env: { TF_BACKEND: '' }, logger });
  assert.equal(name, 'wasm');
});

test('TF_BACKEND=cpu forces the pure-JS backend', async () => {
  const { name, tf } = await chooseBackend({ env: { TF_BACKEND: 'cpu' }, logger });
  assert.equal(name, 'cpu');
  assert.equal(tf.getBackend(), 'cpu');
});

test('a forced backend that cannot load is an error, and an unknown name is rejected', async () => {
  await assert.rejects(
    chooseBackend({ env: { TF_BACKEND: 'tensorflow' }, logger }),
    /TF_BACKEND=tensorflow/,
  );
  await assert.rejects(chooseBackend({ env: { TF_BACKEND: 'webgpu' }, logger }), /TF_BACKEND/);
});
