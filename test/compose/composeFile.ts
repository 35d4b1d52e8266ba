/**
 * Reads the Docker setup the way Docker would: `docker-compose config` (Debian's docker-compose,
 * with .env.example) for the services, and the final stage of each Dockerfile for CMD, ENV and
 * HEALTHCHECK. Tests take commands and environments from here instead of repeating them by hand.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
export const ENV_EXAMPLE = path.join(REPO_ROOT, '.env.example');

/** Fails (never skips) with a message naming the Debian package that provides a binary. */
export function requireBinary(binary: string, debianPackage: string): string {
  try {
    return execFileSync('sh', ['-c', `command -v ${binary}`], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      `${binary} is not installed: apt-get install ${debianPackage} (.ci/run installs it)`,
    );
  }
}

const healthcheckSchema = z.object({
  test: z.array(z.string()).min(2),
  interval: z.string().optional(),
  timeout: z.string().optional(),
  retries: z.number().optional(),
  start_period: z.string().optional(),
});

/** docker-compose prints `ip:host:container/tcp`, or an object when no host IP is set. */
const portSchema = z.union([
  z.string(),
  z
    .object({
      published: z.union([z.number(), z.string()]),
      target: z.number(),
      host_ip: z.string().optional(),
    })
    .transform((p) => `${p.host_ip ? `${p.host_ip}:` : ''}${p.published}:${p.target}`),
]);

const serviceSchema = z.object({
  image: z.string().optional(),
  build: z
    .object({
      context: z.string(),
      dockerfile: z.string(),
      args: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
  // Pass-through variables (`VAR:` with no value) come out as null: set only when defined.
  environment: z.record(z.string(), z.string().nullable()).default({}),
  ports: z.array(portSchema).default([]),
  volumes: z.array(z.string()).default([]),
  depends_on: z.record(z.string(), z.object({ condition: z.string() })).default({}),
  healthcheck: healthcheckSchema.optional(),
  profiles: z.array(z.string()).optional(),
  deploy: z.unknown().optional(),
  init: z.boolean().optional(),
});

const composeSchema = z.object({
  services: z.record(z.string(), serviceSchema),
  volumes: z.record(z.string(), z.unknown()).optional(),
});

export type ComposeConfig = z.infer<typeof composeSchema>;
export type ComposeService = z.infer<typeof serviceSchema>;

/**
 * `docker-compose config` as data. Debian's docker-compose (1.29) prints YAML only (no
 * --format json); its own dependency python3-yaml turns that into JSON.
 */
export function loadComposeConfig(
  envFile = ENV_EXAMPLE,
  files = ['docker-compose.yml'],
): ComposeConfig {
  requireBinary('docker-compose', 'docker-compose');
  const yaml = execFileSync(
    'docker-compose',
    [...files.flatMap((f) => ['-f', f]), '--env-file', envFile, 'config'],
    { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const json = execFileSync(
    '/usr/bin/python3',
    ['-c', 'import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'],
    { input: yaml, encoding: 'utf8' },
  );
  return composeSchema.parse(JSON.parse(json));
}

export function service(config: ComposeConfig, name: string): ComposeService {
  const found = config.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

/** The variables compose would set in the container (pass-throughs left unset here). */
export function serviceEnv(svc: ComposeService): Record<string, string> {
  return Object.fromEntries(
    Object.entries(svc.environment).filter((e): e is [string, string] => e[1] !== null),
  );
}

export interface DockerfileRuntime {
  cmd: string[];
  healthcheck: string[];
  env: Record<string, string>;
}

/** CMD, HEALTHCHECK CMD and ENV (literal values) of a Dockerfile's last stage. */
export function readDockerfile(file: string): DockerfileRuntime {
  const text = readFileSync(path.join(REPO_ROOT, file), 'utf8').replace(/\\\n\s*/g, ' ');
  const stages = text.split(/^FROM /m);
  const last = stages[stages.length - 1] ?? '';
  const lines = last.split('\n').map((l) => l.trim());
  const jsonArray = (instruction: RegExp): string[] => {
    const line = lines.find((l) => instruction.test(l));
    if (!line) throw new Error(`${file}: no ${instruction.source} in the final stage`);
    return z.array(z.string()).parse(JSON.parse(line.replace(instruction, '')));
  };
  const env: Record<string, string> = {};
  for (const line of lines.filter((l) => l.startsWith('ENV '))) {
    for (const match of line.slice(4).matchAll(/([A-Z0-9_]+)=(\S+)/g)) {
      const [, key, value] = match;
      // Values from build args (${...}) are left to compose, which sets them per service.
      if (key !== undefined && value !== undefined && !value.includes('$')) env[key] = value;
    }
  }
  return {
    cmd: jsonArray(/^CMD\s+/),
    healthcheck: jsonArray(/^HEALTHCHECK\s.*?CMD\s+/),
    env,
  };
}
