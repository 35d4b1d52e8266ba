import { networkInterfaces } from 'node:os';

/** Hosts that mean "every interface": people reach the server on this machine's addresses. */
const ANY_HOST = new Set(['0.0.0.0', '::', '']);

function urlHost(host: string): string {
  if (ANY_HOST.has(host)) return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

/** This machine's IPv4 addresses that other people on the network can reach (at most two). */
export function networkAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flatMap((addresses) => addresses ?? [])
    .filter((a) => a.family === 'IPv4' && !a.internal)
    .map((a) => a.address)
    .slice(0, 2);
}

export interface BannerInput {
  host: string;
  port: number;
  /** Addresses of this machine to show when the server listens on every interface. */
  networkAddresses: string[];
  /** Set only when the server generated the admin token for this run. */
  generatedAdminToken?: string;
  orchestrator: boolean;
}

/**
 * What `npm start` shows a person on a terminal once it serves: where to label, where to
 * administer, and the admin token when no ADMIN_TOKEN was set (it changes at every start).
 */
export function startBanner(b: BannerInput): string {
  const local = `http://${urlHost(b.host)}:${b.port}`;
  const others = ANY_HOST.has(b.host)
    ? b.networkAddresses.map((address) => `http://${address}:${b.port}`)
    : [];
  const lines = [
    '',
    '  Active labeller is ready',
    '',
    `  Label:        ${local}`,
    ...others.map((url) => `                ${url}  (for others on your network)`),
    `  Admin:        ${local}/admin`,
  ];
  if (b.generatedAdminToken !== undefined) {
    lines.push(
      `  Admin token:  ${b.generatedAdminToken}`,
      '                (new at every start; set ADMIN_TOKEN to keep one)',
    );
  }
  lines.push(
    '',
    b.orchestrator
      ? '  The orchestrator retrains in the background. Ctrl-C stops everything.'
      : '  START_ORCHESTRATOR=false: no retraining from this process. Ctrl-C stops it.',
    '',
  );
  return `${lines.join('\n')}\n`;
}
