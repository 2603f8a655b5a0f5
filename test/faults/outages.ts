// Real outages of the servers the mesh stands on: Redis shut down and started again as .ci/run starts it,
// PostgreSQL restarted through its cluster. Only for a server on this machine, found from the test's URLs.
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { userInfo } from 'node:os';
import { promisify } from 'node:util';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const LOCAL = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

// Taken down only where it can be brought back: a server this user may start again.
function writable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return process.getuid?.() === 0;
  }
}

async function succeeds(cmd: string, args: string[]): Promise<boolean> {
  return run(cmd, args, { timeout: 10_000 }).then(
    () => true,
    () => false,
  );
}

async function until(what: () => Promise<boolean>, ms: number, label: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > end) throw new Error(`${label}: not within ${ms} ms`);
    await sleep(200);
  }
}

export interface Outage {
  /** What is taken down, for messages. */
  label: string;
  down(): Promise<void>;
  /** Brings it back and waits until it answers; safe to call when it is already up. */
  up(): Promise<void>;
}

/** Redis named by `url`, when it is on this machine and redis-cli and redis-server are installed. */
export async function redisOutage(url: string | undefined): Promise<Outage | undefined> {
  if (!url) return undefined;
  const { hostname, port: p } = new URL(url);
  const port = p || '6379';
  if (!LOCAL.has(hostname)) return undefined;
  if (!(await succeeds('redis-cli', ['-p', port, 'ping'])) || !(await succeeds('sh', ['-c', 'command -v redis-server']))) return undefined;
  if (!writable('/var/lib/redis') || !writable('/var/log/redis')) return undefined;
  const ping = () => succeeds('redis-cli', ['-h', '127.0.0.1', '-p', port, 'ping']);
  return {
    label: `redis on port ${port}`,
    async down() {
      await run('redis-cli', ['-h', '127.0.0.1', '-p', port, 'shutdown', 'nosave']).catch(() => undefined);
      await until(async () => !(await ping()), 10_000, 'redis stopping');
    },
    async up() {
      if (await ping()) return;
      // Exactly as .ci/run starts it.
      await run('sh', ['-c', 'mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true']);
      await run('redis-server', ['--daemonize', 'yes', '--bind', '127.0.0.1', '-::1', '--port', port, '--save', '', '--appendonly', 'no', '--dir', '/var/lib/redis', '--logfile', '/var/log/redis/ci.log']);
      await until(ping, 30_000, 'redis starting');
    },
  };
}

/** The PostgreSQL cluster listening on `url`'s port, when pg_lsclusters and pg_ctlcluster manage it here. */
export async function postgresOutage(url: string | undefined): Promise<Outage | undefined> {
  if (!url) return undefined;
  const { hostname, port: p } = new URL(url);
  const port = p || '5432';
  if (!LOCAL.has(hostname)) return undefined;
  const listed = await run('pg_lsclusters', ['-h']).catch(() => undefined);
  if (!listed || !(await succeeds('sh', ['-c', 'command -v pg_ctlcluster']))) return undefined;
  // "15 main 5432 online postgres /var/lib/postgresql/15/main /var/log/…"
  const line = listed.stdout.split('\n').map((l) => l.trim().split(/\s+/)).find((cols) => cols[2] === port);
  if (!line) return undefined;
  const [version, cluster, , , owner] = line as [string, string, string, string, string];
  if (process.getuid?.() !== 0 && userInfo().username !== owner) return undefined;
  const ready = () => succeeds('pg_isready', ['-q', '-h', '127.0.0.1', '-p', port]);
  const ctl = (action: string, ...options: string[]) => run('pg_ctlcluster', ['--skip-systemctl-redirect', ...options, version, cluster, action], { timeout: 60_000 });
  return {
    label: `PostgreSQL ${version}/${cluster} on port ${port}`,
    async down() {
      // Fast mode: open connections are cut at once, as a crash or failover cuts them.
      await ctl('stop', '-m', 'fast');
    },
    async up() {
      if (await ready()) return;
      await ctl('start').catch(() => undefined);
      await until(ready, 60_000, 'PostgreSQL starting');
    },
  };
}
