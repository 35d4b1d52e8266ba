import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { OthersCpu, parseProcStat } from './othersCpu';

/** A /proc/stat of two CPUs with these aggregate user, nice, system, idle and iowait ticks. */
function procStat(user: number, nice: number, system: number, idle: number, iowait: number) {
  return [
    `cpu  ${user} ${nice} ${system} ${idle} ${iowait} 0 0 0 0 0`,
    'cpu0 1 1 1 1 1 0 0 0 0 0',
    'cpu1 1 1 1 1 1 0 0 0 0 0',
    'intr 12345',
    '',
  ].join('\n');
}

test('parseProcStat: busy counts user, nice and system; idle and iowait are not busy', () => {
  assert.deepEqual(parseProcStat(procStat(100, 50, 25, 800, 25)), {
    busyTicks: 175,
    totalTicks: 1_000,
    cpus: 2,
  });
  assert.throws(() => parseProcStat('intr 1\n'), /unexpected \/proc\/stat/);
});

test('OthersCpu: the machine busy share between two reads, less this process', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'others-cpu-'));
  try {
    const stat = path.join(dir, 'stat');
    await writeFile(stat, procStat(1_000, 0, 0, 1_000, 0));
    const cpu = new OthersCpu(stat);
    assert.equal(await cpu.read(), undefined, 'one read is not an interval');
    // 10,000 more ticks, 9,000 of them busy: 90% of the machine, minus the few ticks this
    // process spent between the two reads.
    await writeFile(stat, procStat(10_000, 0, 0, 2_000, 0));
    const share = await cpu.read();
    assert.ok(share !== undefined && share > 0.85 && share <= 0.9, `share ${share}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('OthersCpu: no /proc/stat (not Linux) reads as unknown', async () => {
  const cpu = new OthersCpu('/nonexistent/stat');
  assert.equal(await cpu.read(), undefined);
  assert.equal(await cpu.read(), undefined);
});
