/**
 * CPU accounting from /proc (Linux): per process, per process tree and for the whole machine,
 * so a phase can say where the two cores went, including to other people's jobs on the box.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';

/** Clock ticks per second of /proc's times (USER_HZ; 100 on every Linux build we run on). */
const TICKS_PER_SECOND = 100;

interface ProcStat {
  ppid: number;
  nice: number;
  /** Scheduling policy: 0 SCHED_OTHER, 3 SCHED_BATCH, 5 SCHED_IDLE, … */
  policy: number;
  /** utime + stime, plus the reaped children's time when asked for. */
  ticks: number;
}

function readStat(file: string, withChildren = false): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined; // the process (or thread) is gone
  }
  // Fields after "pid (comm) ": comm may hold spaces and parentheses, so cut at the last ')'.
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const n = (i: number) => Number(f[i] ?? 0);
  return {
    ppid: n(1),
    nice: n(16),
    policy: n(38),
    ticks: n(11) + n(12) + (withChildren ? n(13) + n(14) : 0),
  };
}

function allPids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

/** Direct children of `ppid`. */
export function childPids(ppid: number): number[] {
  return allPids().filter((pid) => readStat(`/proc/${pid}/stat`)?.ppid === ppid);
}

/** A process's command line, arguments joined by spaces ('' when it is gone). */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** The cluster's postmaster pid, from postmaster.pid in its data folder. */
export function postmasterPid(dataDir: string): number {
  const first = readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0];
  const pid = Number(first);
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no postmaster pid in ${dataDir}`);
  return pid;
}

/** CPU ticks of a process and (when `tree`) its direct children, living and reaped. */
function ticksOf(pid: number | undefined, tree: boolean): number {
  if (pid === undefined) return 0;
  const own = readStat(`/proc/${pid}/stat`, tree)?.ticks ?? 0;
  if (!tree) return own;
  return (
    own + childPids(pid).reduce((sum, c) => sum + (readStat(`/proc/${c}/stat`)?.ticks ?? 0), 0)
  );
}

function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already in user).
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  return { busy: total - idle, total };
}

/** The processes whose CPU a phase reports; undefined ones count as 0. */
export interface CpuSubjects {
  server: number | undefined;
  orchestrator: number | undefined;
  postmaster: number | undefined;
  clients: number | undefined;
}

export interface CpuSnapshot {
  at: number;
  machine: { busy: number; total: number };
  ticks: Record<keyof CpuSubjects | 'bench', number>;
}

export function snapshotCpu(s: CpuSubjects): CpuSnapshot {
  return {
    at: performance.now(),
    machine: machineTicks(),
    ticks: {
      server: ticksOf(s.server, false),
      orchestrator: ticksOf(s.orchestrator, false),
      // Backends are the postmaster's children; exited ones are in its reaped-children time.
      postmaster: ticksOf(s.postmaster, true),
      clients: ticksOf(s.clients, false),
      bench: ticksOf(process.pid, false),
    },
  };
}

/** CPU use between two snapshots, each in % of one core; `others` is what none of ours used. */
export interface CpuUse {
  server: number;
  orchestrator: number;
  postgres: number;
  clients: number;
  bench: number;
  machine: number;
  others: number;
}

export function cpuBetween(a: CpuSnapshot, b: CpuSnapshot): CpuUse {
  const seconds = (b.at - a.at) / 1000;
  const pct = (ticks: number) => Math.round((100 * ticks) / TICKS_PER_SECOND / seconds);
  const d = (k: keyof CpuSnapshot['ticks']) => pct(b.ticks[k] - a.ticks[k]);
  const busy = b.machine.busy - a.machine.busy;
  const total = b.machine.total - a.machine.total;
  const machine = total > 0 ? Math.round((100 * cpus().length * busy) / total) : 0;
  const use = {
    server: d('server'),
    orchestrator: d('orchestrator'),
    postgres: d('postmaster'),
    clients: d('clients'),
    bench: d('bench'),
  };
  const ours = use.server + use.orchestrator + use.postgres + use.clients + use.bench;
  return { ...use, machine, others: Math.max(0, machine - ours) };
}

const POLICY_NAMES: Record<number, string> = { 0: '', 3: ' SCHED_BATCH', 5: ' SCHED_IDLE' };

/** "nice 19 (all 23 threads)", "nice 0 SCHED_IDLE (…)", or the spread when threads differ. */
export function describeNiceness(pid: number): string {
  let names: string[] = [];
  try {
    names = readdirSync(`/proc/${pid}/task`);
  } catch {
    return 'gone';
  }
  const values = names
    .map((t) => readStat(`/proc/${pid}/task/${t}/stat`))
    .filter((v): v is ProcStat => v !== undefined)
    .map((v) => `nice ${v.nice}${POLICY_NAMES[v.policy] ?? ` policy ${v.policy}`}`);
  const distinct = [...new Set(values)].sort();
  return distinct.length === 1
    ? `${distinct[0]} (all ${values.length} threads)`
    : `${distinct.join(' / ')} across ${values.length} threads`;
}

/**
 * The autogroup a process is scheduled in (Linux autogroup: one per session, nice values only
 * count within it), or why there is none.
 */
export function schedulingGroup(pid: number): string {
  try {
    if (readFileSync('/proc/sys/kernel/sched_autogroup_enabled', 'utf8').trim() !== '1') {
      return 'autogroup scheduling off';
    }
    return readFileSync(`/proc/${pid}/autogroup`, 'utf8').trim();
  } catch {
    return 'autogroup unknown';
  }
}

/** `uptime`'s line (load averages), as the machine's busyness before a phase. */
export function uptimeLine(): string {
  try {
    return execFileSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    return `load average: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(', ')}`;
  }
}
