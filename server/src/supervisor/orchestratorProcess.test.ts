import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { lowPriorityCommand } from './orchestratorProcess';

/** Niceness and scheduling policy of a running process, from /proc/<pid>/stat. */
async function schedulingOf(pid: number): Promise<{ nice: number; policy: number }> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; nice is field 19, policy field 41.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { nice: Number(fields[16]), policy: Number(fields[38]) };
}

test('without chrt the orchestrator starts under nice 19 alone', () => {
  assert.deepEqual(lowPriorityCommand(['node', 'run.js'], false), [
    'nice',
    '-n',
    '19',
    'node',
    'run.js',
  ]);
});

test('with chrt the process runs at nice 19 as SCHED_IDLE, under its own pid', async () => {
  const [command = '', ...args] = lowPriorityCommand(
    [process.execPath, '-e', 'setTimeout(() => {}, 10_000)'],
    true,
  );
  const child = spawn(command, args, { stdio: 'ignore' });
  try {
    const pid = child.pid;
    assert.ok(pid !== undefined);
    // The wrappers exec in place: wait until the pid runs node itself.
    for (let i = 0; i < 100; i++) {
      const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
      if (cmdline.startsWith(process.execPath)) break;
      await sleep(20);
    }
    const SCHED_IDLE = 5;
    assert.deepEqual(await schedulingOf(pid), { nice: 19, policy: SCHED_IDLE });
  } finally {
    child.kill('SIGKILL');
  }
});
