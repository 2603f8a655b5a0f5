// ruqsat — the command line: one entry point, a module per subcommand under scripts/cli/.
import { closeClients } from '../services/kit/grpc/client.ts';
import { useOperatorIdentity } from './cli/identity.ts';

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Exit code: 0 success, 1 usage error, 2 a check that failed. */
  run(args: string[]): Promise<number>;
}

type Loader = () => Promise<Command>;

// Subcommands a later issue builds are listed so `--help` shows the whole shape of the tool.
const planned: Record<string, string> = {};

const commands: Record<string, Loader> = {
  start: async () => (await import('./cli/start.ts')).command,
  health: async () => (await import('./cli/health.ts')).command,
  ca: async () => (await import('./cli/ca.ts')).command,
  verify: async () => (await import('./cli/verify.ts')).command,
  audit: async () => (await import('./cli/audit.ts')).command,
  staff: async () => (await import('./cli/staff.ts')).command,
  commission: async () => (await import('./cli/commission.ts')).command,
  'verify-document': async () => (await import('./cli/verify-document.ts')).command,
  deposit: async () => (await import('./cli/deposit.ts')).command,
  load: async () => (await import('./cli/load.ts')).command,
};

async function help(): Promise<string> {
  const lines = ['usage: ruqsat <command> [options]', '', 'commands:'];
  for (const [name, load] of Object.entries(commands)) lines.push(`  ${name.padEnd(16)} ${(await load()).summary.split('\n')[0]}`);
  for (const [name, what] of Object.entries(planned)) lines.push(`  ${name.padEnd(16)} not available yet: ${what}`);
  lines.push('', "run 'ruqsat <command> --help' for a command's options");
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write((await help()) + '\n');
    return name ? 0 : 1;
  }
  const load = commands[name];
  if (!load) {
    const why = planned[name] ? `not available yet: ${planned[name]}` : 'unknown command';
    process.stderr.write(`ruqsat ${name}: ${why}\n${await help()}\n`);
    return 1;
  }
  const command = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`usage: ${command.usage}\n\n${command.summary}\n`);
    return 0;
  }
  try {
    if (name !== 'start') useOperatorIdentity();
    return await command.run(rest);
  } catch (err) {
    process.stderr.write(`ruqsat ${name}: ${(err as Error).message}\n`);
    return err instanceof UsageError ? 1 : 2;
  } finally {
    // Open channels (and the identity's file watcher) would keep a finished command's process alive.
    if (name !== 'start') closeClients();
  }
}

/** A bad flag or argument: the CLI prints it and exits 1. */
export class UsageError extends Error {}
