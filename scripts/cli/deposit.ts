// ruqsat deposit — upload (deposit-upload.ts) deposits a directory; verify hashes one locally in the trust core and
// asks VerifyDeposit whether it is the deposit.
import * as grpc from '@grpc/grpc-js';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { UsageError, type Command } from '../cli.ts';
import { hex, sha256 } from '../../core-wasm/src/index.ts';
import { DepositServiceClient, type VerifyDepositResponse } from '../../gen/ruqsat/deposit/v1/deposit.ts';
import { merkleRoot } from '../../services/deposit/domain/merkle.ts';
import { loadConfig } from '../../services/kit/config.ts';
import { clientFor, closeClients } from '../../services/kit/grpc/client.ts';
import { walkDirectory } from './deposit-tree.ts';
import { upload, UPLOAD_USAGE } from './deposit-upload.ts';

const VERIFY_USAGE = 'ruqsat deposit verify NAME DIR [--target HOST:PORT] [--timeout MS]';
const USAGE = `${UPLOAD_USAGE}\n       ${VERIFY_USAGE}`;

export const command: Command = {
  name: 'deposit',
  summary: `Deposit a directory, or check that a directory holds exactly a deposited object's files.
upload: every regular file under DIR (relative "/" paths; a symbolic link leaving DIR is refused) is declared in a
manifest and streamed to UploadObject at DEPOSIT_ADDRESS (or --target); --type is the object type (default software),
--name its title (default the directory's name). Killed or cut off, the same command resumes from the bytes the
service acknowledged (the upload id is kept under $XDG_STATE_HOME/ruqsat/uploads). Prints the object's name, Merkle
root, file count and size (--json: as JSON).
verify: NAME is "objects/{object}", "deposits/{deposit}" or a deposit number. Every file under DIR is hashed here
(SHA-256 in the trust core) and the list is sent to VerifyDeposit. Prints each file that differs, is missing or is
extra; exits 0 when the directory matches, 2 when it does not.
A refused call exits 2 with its status code and details.`,
  usage: USAGE,
  async run(args) {
    const [verb, ...rest] = args;
    if (verb === 'upload') return upload(rest);
    if (verb !== 'verify') throw new UsageError(`expected "upload" or "verify"\n${USAGE}`);
    let values;
    let positionals;
    try {
      ({ values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { target: { type: 'string' }, timeout: { type: 'string', default: '30000' } } }));
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const [name, dir] = positionals;
    if (!name || !dir || positionals.length > 2) throw new UsageError(VERIFY_USAGE);
    const timeout = Number(values.timeout);
    if (!Number.isInteger(timeout) || timeout <= 0) throw new UsageError('--timeout must be a positive number of milliseconds');
    const skipped: string[] = [];
    const files = walkDirectory(dir, skipped).map((f) => ({ path: f.path, size: f.size, sha256: sha256(readFileSync(f.file)) }));
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
