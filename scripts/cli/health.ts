// ruqsat health — asks each service's grpc.health.v1.Health whether it is SERVING.
import * as grpc from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { parseArgs } from 'node:util';
import { UsageError, type Command } from '../cli.ts';
import { loadConfig, SERVICE_NAMES } from '../../services/kit/config.ts';
import { clientFor, closeClients } from '../../services/kit/grpc/client.ts';

const HealthClient = grpc.makeGenericClientConstructor(healthService, 'Health') as unknown as Parameters<typeof clientFor>[0];

interface HealthCheck {
  check(request: { service: string }, options: grpc.CallOptions, callback: (err: grpc.ServiceError | null, response?: { status: string | number }) => void): void;
}

export const command: Command = {
  name: 'health',
  summary: 'Checks the health of each service at its configured address (<SERVICE>_ADDRESS), or of --target addresses.',
  usage: 'ruqsat health [--target HOST:PORT]... [--timeout MS]',
  async run(args) {
    let values;
    try {
      ({ values } = parseArgs({ args, options: { target: { type: 'string', multiple: true }, timeout: { type: 'string', default: '2000' } } }));
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const timeout = Number(values.timeout);
    if (!Number.isInteger(timeout) || timeout <= 0) throw new UsageError('--timeout must be a positive number of milliseconds');
    const config = loadConfig();
    const targets = values.target?.map((t) => ({ name: t, address: t })) ?? SERVICE_NAMES.map((name) => ({ name, address: config.addresses[name] }));
    const results = await Promise.all(
      targets.map(
        ({ name, address }) =>
          new Promise<string>((resolve) => {
            const client = clientFor(HealthClient, address) as unknown as HealthCheck;
            client.check({ service: '' }, { deadline: Date.now() + timeout }, (err, res) => resolve(err ? `UNREACHABLE (${grpc.status[err.code] ?? err.code})` : String(res?.status)));
          }).then((status) => ({ name, address, status })),
      ),
    );
    closeClients();
    for (const r of results) process.stdout.write(`${r.name.padEnd(10)} ${r.address.padEnd(22)} ${r.status}\n`);
    return results.every((r) => r.status === 'SERVING') ? 0 : 2;
  },
};
