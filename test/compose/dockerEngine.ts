/**
 * A Docker engine for the compose stack test: the running one if `docker info` answers, else a
 * dockerd started here. Without NAT rules (`--iptables=false`, as this kind of machine needs)
 * compose networks still resolve service names and docker-proxy still publishes ports on
 * 127.0.0.1, which is all the test uses.
 */
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { requireBinary } from './composeFile';
import { run } from './docker';

export interface DockerEngine {
  /** Stops the engine if this process started it; a running one is left alone. */
  stop: () => Promise<void>;
  /** The same without waiting, for a process that is exiting. */
  signalStop: () => void;
}

const START_TIMEOUT_MS = 60_000;

async function answers(): Promise<boolean> {
  const { code } = await run('docker', ['info', '--format', '{{.ServerVersion}}'], {
    allowFailure: true,
  });
  return code === 0;
}

export async function ensureDockerEngine(logFile: string): Promise<DockerEngine> {
  requireBinary('docker', 'docker.io');
  if (await answers()) return { stop: () => Promise.resolve(), signalStop: () => undefined };
  const dockerd = requireBinary('dockerd', 'docker.io');
  const log = openSync(logFile, 'a');
  const child = spawn(dockerd, ['--iptables=false'], { stdio: ['ignore', log, log] });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  for (const started = Date.now(); !(await answers());) {
    if (child.exitCode !== null)
      throw new Error(`dockerd exited with ${child.exitCode}: see ${logFile}`);
    if (Date.now() - started > START_TIMEOUT_MS) {
      child.kill('SIGTERM');
      throw new Error(`dockerd did not answer within ${START_TIMEOUT_MS} ms: see ${logFile}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return {
    signalStop: () => {
      if (child.exitCode === null) child.kill('SIGTERM');
    },
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
