// ruqsat deposit verify — hashes a directory locally in the trust core and asks VerifyDeposit whether it is the deposit.
import * as grpc from '@grpc/grpc-js';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError, type Command } from '../cli.ts';
import { hex, sha256 } from '../../core-wasm/src/index.ts';
import { DepositServiceClient, type VerifyDepositResponse } from '../../gen/ruqsat/deposit/v1/deposit.ts';
import { merkleRoot } from '../../services/deposit/domain/merkle.ts';
import { loadConfig } from '../../services/kit/config.ts';
import { clientFor, closeClients } from '../../services/kit/grpc/client.ts';

const USAGE = 'ruqsat deposit verify NAME DIR [--target HOST:PORT] [--timeout MS]';

interface LocalFile {
  path: string;
  size: number;
  sha256: Uint8Array;
}

/** Every regular file under `root`, with its path relative to it ("/"-separated); symlinks are not followed. */
export function hashDirectory(root: string, skipped: string[] = []): LocalFile[] {
  const out: LocalFile[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(root, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        const data = readFileSync(join(root, path));
        out.push({ path, size: data.length, sha256: sha256(data) });
      } else skipped.push(path);
    }
  };
  walk('');
  return out;
}

export const command: Command = {
  name: 'deposit',
  summary: `Check that a directory holds exactly a deposited object's files.
NAME is "objects/{object}", "deposits/{deposit}" or a deposit number. Every regular file under DIR is hashed here
(SHA-256 in the trust core) and the list is sent to VerifyDeposit at DEPOSIT_ADDRESS (or --target).
Prints each file that differs, is missing or is extra; exits 0 when the directory matches, 2 when it does not.`,
  usage: USAGE,
  async run(args) {
    const [verb, ...rest] = args;
    if (verb !== 'verify') throw new UsageError(`expected "verify"\n${USAGE}`);
    let values;
    let positionals;
    try {
      ({ values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { target: { type: 'string' }, timeout: { type: 'string', default: '30000' } } }));
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const [name, dir] = positionals;
    if (!name || !dir || positionals.length > 2) throw new UsageError(USAGE);
    const timeout = Number(values.timeout);
    if (!Number.isInteger(timeout) || timeout <= 0) throw new UsageError('--timeout must be a positive number of milliseconds');
    if (!lstatSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`${dir} is not a directory`);

    const skipped: string[] = [];
    const files = hashDirectory(dir, skipped);
    for (const s of skipped) process.stderr.write(`skipped (not a regular file): ${s}\n`);
    const client = clientFor(DepositServiceClient, values.target ?? loadConfig().addresses.deposit);
    let res: VerifyDepositResponse;
    try {
      res = await new Promise<VerifyDepositResponse>((resolve, reject) =>
        client.verifyDeposit({ deposit: name, files: files.map((f) => ({ path: f.path, sha256: Buffer.from(f.sha256), sizeBytes: f.size })) }, new grpc.Metadata(), { deadline: Date.now() + timeout }, (err, r) => (err ? reject(new Error(`${grpc.status[err.code] ?? err.code}: ${err.details}`)) : resolve(r!))),
      );
    } finally {
      closeClients();
    }
    for (const p of res.differingPaths) process.stdout.write(`differs: ${p}\n`);
    for (const p of res.missingPaths) process.stdout.write(`missing: ${p}\n`);
    for (const p of res.extraPaths) process.stdout.write(`extra:   ${p}\n`);
    const local = hex(merkleRoot(files));
    if (res.matches && local === hex(res.merkleRoot)) {
      process.stdout.write(`matches ${res.object}: ${files.length} files, Merkle root ${local}\n`);
      return 0;
    }
    process.stdout.write(`does not match ${res.object} (deposited Merkle root ${hex(res.merkleRoot)}, this directory's ${local})\n`);
    return 2;
  },
};
