// A steady stream of customs and applicant calls while a fault is on, and the books kept on it: every call
// ends in success, after retrying only on a clear status; what was acknowledged is then checked in the database.
import * as grpc from '@grpc/grpc-js';
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { CheckReason, MovementType, type PermitServiceClient } from '../../gen/ruqsat/permit/v1/permit.ts';
import { decodeStatusDetails } from '../../services/kit/errors.ts';
import { bind, call } from '../helpers/grpc.ts';
import { HS, IMPORTER, checkRequest } from '../permit/helpers.ts';
import { signAct } from '../trust/helpers.ts';
import { MAIN, STOCK, type FaultWorld } from './world.ts';

type Client = InstanceType<typeof PermitServiceClient>;

/** The statuses a call may end with during a fault: the caller waits and retries. */
const RETRYABLE = new Set([grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED]);
const GIVE_UP_MS = 30_000;
// The world holds 24 revocable permits for all the runs of a suite.
const REVOCATIONS_PER_RUN = 4;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const hash = (s: string) => createHash('sha256').update(s).digest('hex');
const GOODS = [{ name: 'VPN gateway with AES-256', hs_code: HS, quantity: '10', unit: 'pcs', manufacturer: 'Example Networks', origin_country: 'CN', destination_country: 'KZ' }];
const ATTACHMENTS = ['foreign_trade_contract', 'technical_documentation', 'goods_list'].map((id) => ({ id, sha256: hash(id) }));

export interface Books {
  /** Calls that ended in success (after any retries), per kind. */
  done: Record<string, number>;
  /** Clear statuses seen and retried, by code name. */
  retried: Record<string, number>;
  /** Anything else: a wrong answer, an unclear status, or a call that never succeeded. */
  wrong: string[];
  consumed: Set<string>;
  applications: Map<string, string>;
  revokedAt: Map<string, number>;
}

export interface Workload {
  books: Books;
  /** Resolves once at least `n` more calls have succeeded. */
  progress(n: number): Promise<void>;
  /** Stops starting calls, waits for those under way (each retried to success), returns the books. */
  stop(): Promise<Books>;
}

export function startWorkload(f: FaultWorld, client: Client, { concurrency = 6, runId = 'r' } = {}): Workload {
  const books: Books = { done: {}, retried: {}, wrong: [], consumed: new Set(), applications: new Map(), revokedAt: new Map() };
  let stopping = false;
  let revocations = 0;
  let n = 0;
  let succeeded = 0;

  /** Runs `fn` until it succeeds, retrying on a clear status; `settled` may accept a refusal that says an earlier try was applied. */
  async function attempt<T>(kind: string, fn: () => Promise<T>, settled?: (e: grpc.ServiceError) => boolean): Promise<{ ok: boolean; value?: T }> {
    const started = Date.now();
    for (let tries = 1; ; tries++) {
      try {
        const result = await fn();
        books.done[kind] = (books.done[kind] ?? 0) + 1;
        succeeded++;
        return { ok: true, value: result };
      } catch (err) {
        const e = err as grpc.ServiceError;
        if (tries > 1 && settled?.(e)) {
          books.done[kind] = (books.done[kind] ?? 0) + 1;
          return { ok: true };
        }
        if (!RETRYABLE.has(e.code)) {
          books.wrong.push(`${kind}: ${grpc.status[e.code] ?? e.code} ${decodeStatusDetails(e.metadata)?.errorInfo?.reason ?? ''} ${e.details ?? e.message}`);
          return { ok: false };
        }
        books.retried[grpc.status[e.code]!] = (books.retried[grpc.status[e.code]!] ?? 0) + 1;
        if (Date.now() - started > GIVE_UP_MS) {
          books.wrong.push(`${kind}: still ${grpc.status[e.code]} after ${GIVE_UP_MS} ms`);
          return { ok: false };
        }
        await sleep(100);
      }
    }
  }

  const checkMain = async () => {
    const { value: res } = await attempt('check', async () => (await call(bind(client, 'checkPermit'), checkRequest(MAIN), undefined, 3_000)).response);
    if (res && !res.valid) books.wrong.push(`CheckPermit ${MAIN}: not valid (${res.reasons.join(',')}) though ${STOCK - f.consumed.size} units remain`);
  };

  const checkRevocable = async (i: number) => {
    const { number } = f.revocables[i % f.revocables.length]!;
    const asked = Date.now();
    const { value: res } = await attempt('check', async () => (await call(bind(client, 'checkPermit'), checkRequest(number), undefined, 3_000)).response);
    if (!res) return;
    const revokedAt = books.revokedAt.get(number);
    const revokedOnly = res.reasons.length === 1 && res.reasons[0] === CheckReason.CHECK_REASON_REVOKED;
    if (!res.valid && !revokedOnly) books.wrong.push(`CheckPermit ${number}: unexpected reasons ${res.reasons.join(',')}`);
    if (revokedAt !== undefined && asked > revokedAt && res.valid) books.wrong.push(`CheckPermit ${number}: valid ${asked - revokedAt} ms after its revocation was acknowledged`);
  };

  const consume = async (k: number) => {
    const declarationId = `${runId}-D-${k}`;
    // ConsumePermit is idempotent per declaration id: the same request again is answered with the recorded consumption.
    const req = { number: MAIN, declarationId, declarantIdentifier: IMPORTER, movementType: MovementType.MOVEMENT_TYPE_IMPORT, lines: [{ hsCode: HS, quantity: 1, line: 0 }] };
    if ((await attempt('consume', async () => (await call(bind(client, 'consumePermit'), req, undefined, 5_000)).response)).ok) {
      books.consumed.add(declarationId);
      f.consumed.add(declarationId);
    }
  };

  const revoke = async () => {
    // A few per run, so a fast run (checks answered from the cache while the database is down) leaves the world's
    // revocable permits to the runs after it.
    if (revocations >= REVOCATIONS_PER_RUN) return;
    revocations++;
    const target = f.revocables[f.nextRevocable++];
    if (!target) return;
    const act = signAct(f.signatory.key, { act: 'revoke_permit', permit: target.name, reason: 'fault test' }, f.signatory.chain);
    // A retry after an attempt that was applied but not answered is refused as already revoked: that is the acknowledgement.
    const applied = (e: grpc.ServiceError) => ['PERMIT_REVOKED', 'ACT_ALREADY_USED'].includes(decodeStatusDetails(e.metadata)?.errorInfo?.reason ?? '');
    const { ok } = await attempt('revoke', async () => (await call(bind(client, 'revokePermit'), { name: target.name, act }, undefined, 5_000)).response, applied);
    if (ok) books.revokedAt.set(target.number, Date.now());
  };

  const submit = async (k: number) => {
    const requestId = `${runId}-A-${k}`;
    const application = signAct(f.importer.key, { act: 'submit_application', service: 'permit.customs_crypto', variant: 'import', contract_reference: `CTR-${k}`, goods: GOODS, attachments: ATTACHMENTS }, f.importer.chain);
    const { value: res } = await attempt('submit', async () => (await call(bind(client, 'submitApplication'), { requestId, application }, undefined, 5_000)).response);
    if (res) books.applications.set(requestId, res.name);
  };

  const worker = async () => {
    while (!stopping) {
      const k = n++;
      const op = k % 10;
      if (op < 4) await checkMain();
      else if (op < 6) await checkRevocable(k);
      else if (op < 8) await consume(k);
      else if (op === 8 && k % 40 === 8) await revoke();
      else await submit(k);
    }
  };
  const workers = Array.from({ length: concurrency }, worker);
  return {
    books,
    async progress(count) {
      const target = succeeded + count;
      while (succeeded < target && books.wrong.length === 0) await sleep(20);
    },
    async stop() {
      stopping = true;
      await Promise.all(workers);
      return books;
    },
  };
}

/** Nothing acknowledged is lost, nothing is applied twice, and the remainder adds up. */
export async function auditBooks(f: FaultWorld, client: Client, books: Books): Promise<void> {
  expect(books.wrong, 'wrong answers or unclear statuses').to.deep.equal([]);
  const { store } = f.w;
  const main = (await store.db.table('permits').where({ number: MAIN }).first('id')) as { id: string };
  const rows: { declaration_id: string; quantity: string }[] = await store.db.table('permit_consumptions').where({ permit_id: main.id }).select('declaration_id', 'quantity');
  const ids = rows.map((r) => r.declaration_id).sort();
  // Every run's acknowledged declarations, once each, and nothing else.
  expect(ids, 'one consumption row per acknowledged declaration, none other').to.deep.equal([...f.consumed].sort());
  const audited = await store.db.table('audit_log').where({ resource: `permits/${main.id}`, action: 'consume_permit' }).count<{ n: string }[]>('* as n');
  expect(Number(audited[0]!.n), 'one audit record per consumption').to.equal(f.consumed.size);
  const check = (await call(bind(client, 'checkPermit'), checkRequest(MAIN))).response;
  expect(check.remainingQuantity, 'remainder').to.equal(STOCK - f.consumed.size);

  for (const number of books.revokedAt.keys()) {
    const permit = (await store.db.table('permits').where({ number }).first('id', 'status')) as { id: string; status: string };
    expect(permit.status, number).to.equal('revoked');
    const acts = await store.db.table('audit_log').where({ resource: `permits/${permit.id}`, action: 'permit_revoked' }).count<{ n: string }[]>('* as n');
    expect(Number(acts[0]!.n), `${number} revoked once`).to.equal(1);
  }

  const apps: { request_id: string; id: string }[] = await store.db.table('applications').whereIn('request_id', [...books.applications.keys()]).select('request_id', 'id');
  expect(apps.map((a) => a.request_id).sort(), 'one application per acknowledged request id').to.deep.equal([...books.applications.keys()].sort());
  for (const a of apps) expect(books.applications.get(a.request_id)).to.include(a.id);
}
