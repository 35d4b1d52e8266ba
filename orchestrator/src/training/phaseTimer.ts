import type { Logger } from 'pino';

/**
 * A retrain's phases, timed: each `lap` ends one, records its milliseconds under its name and
 * beats the job's heartbeat (which aborts the retrain's signal when the job is no longer ours).
 */
export function phaseTimer(heartbeat: (() => Promise<void>) | undefined, log: Logger) {
  const durations: Record<string, number> = {};
  let last = performance.now();
  return {
    durations,
    async lap(name: string) {
      const now = performance.now();
      durations[name] = Math.round(now - last);
      log.debug({ phase: name, ms: durations[name] }, 'retrain phase done');
      await heartbeat?.();
      last = performance.now();
    },
  };
}

export type PhaseTimer = ReturnType<typeof phaseTimer>;
