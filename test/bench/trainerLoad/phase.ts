/**
 * One measured phase: the load average first, then the flat-out labellers (warm-up, window),
 * with the CPU of every process of ours (and of the machine) read when the window opens and
 * closes.
 */
import type { BenchArgs } from './args';
import { BUSY_PROJECT } from './fixtures';
import { runLabellerLoad, type LoadResult } from './loadClient';
import {
  cpuBetween,
  snapshotCpu,
  uptimeLine,
  type CpuSnapshot,
  type CpuSubjects,
  type CpuUse,
} from './procStats';
import type { RunningSystem } from './system';

export interface PhaseResult {
  name: string;
  /** `uptime` before the phase. */
  uptime: string;
  load: LoadResult;
  cpu: CpuUse;
  /** The window, in ms since the epoch (to compare with the server's job times). */
  windowFrom: number;
  windowTo: number;
}

export async function runPhase(opts: {
  name: string;
  repoRoot: string;
  system: RunningSystem;
  postmaster: number;
  args: BenchArgs;
}): Promise<PhaseResult> {
  const { args, system } = opts;
  const uptime = uptimeLine();
  console.log(`\n== phase: ${opts.name}`);
  console.log(`   uptime before: ${uptime}`);
  const subjects: CpuSubjects = {
    server: system.server.pid,
    orchestrator: system.orchestratorPid,
    postmaster: opts.postmaster,
    clients: undefined,
  };
  let opened: CpuSnapshot | undefined;
  let closed: CpuSnapshot | undefined;
  let windowFrom = 0;
  let windowTo = 0;
  const load = await runLabellerLoad({
    repoRoot: opts.repoRoot,
    url: system.url,
    project: BUSY_PROJECT,
    namePrefix: opts.name.replace(/\W+/g, '-'),
    clients: args.clients,
    warmup: args.warmup,
    seconds: args.seconds,
    onConnected: (pid) => {
      subjects.clients = pid;
      console.log(`   ${args.clients} labellers connected; warm-up ${args.warmup} s`);
    },
    onWindowOpen: () => {
      opened = snapshotCpu(subjects);
      windowFrom = Date.now();
      console.log(`   window open (${args.seconds} s)…`);
    },
    onWindowEnd: () => {
      closed = snapshotCpu(subjects);
      windowTo = Date.now();
    },
  });
  if (!opened || !closed) throw new Error('the labeller load never reported its window');
  system.assertAlive();
  return { name: opts.name, uptime, load, cpu: cpuBetween(opened, closed), windowFrom, windowTo };
}
