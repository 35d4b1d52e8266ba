/**
 * Share of the machine's CPU time that other processes (the server, Postgres, the labellers'
 * own tools) used between two reads: the whole machine's busy time from /proc/stat minus this
 * process's own. Undefined where there is no /proc/stat (not Linux).
 */
import { readFile } from 'node:fs/promises';

interface Snapshot {
  busyTicks: number;
  totalTicks: number;
  cpus: number;
  ownMicros: number;
  at: number;
}

/** Kernel clock ticks per second in /proc/stat (USER_HZ, 100 on every mainstream Linux). */
const USER_HZ = 100;

export function parseProcStat(text: string): {
  busyTicks: number;
  totalTicks: number;
  cpus: number;
} {
  const lines = text.split('\n');
  const fields = (lines[0] ?? '').trim().split(/\s+/);
  if (fields[0] !== 'cpu') throw new Error('unexpected /proc/stat');
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fields.slice(1, 9).map(Number);
  const busyTicks =
    (user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0);
  const cpus = lines.filter((l) => /^cpu\d+\s/.test(l)).length;
  return {
    busyTicks,
    totalTicks: busyTicks + (idle ?? 0) + (iowait ?? 0),
    cpus: Math.max(1, cpus),
  };
}

export class OthersCpu {
  private last: Snapshot | undefined;

  constructor(private readonly statPath = '/proc/stat') {}

  /** In [0, 1] of the whole machine since the previous read; undefined on the first read. */
  async read(): Promise<number | undefined> {
    let text: string;
    try {
      text = await readFile(this.statPath, 'utf8');
    } catch {
      return undefined;
    }
    const usage = process.cpuUsage();
    const now: Snapshot = {
      ...parseProcStat(text),
      ownMicros: usage.user + usage.system,
      at: performance.now(),
    };
    const last = this.last;
    this.last = now;
    if (!last || now.totalTicks <= last.totalTicks) return undefined;
    const ownTicks = ((now.ownMicros - last.ownMicros) / 1e6) * USER_HZ;
    const othersTicks = now.busyTicks - last.busyTicks - ownTicks;
    return Math.min(1, Math.max(0, othersTicks / (now.totalTicks - last.totalTicks)));
  }
}
