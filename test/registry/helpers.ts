// Fixtures for registry tests: valid publish requests, a free port, a stream collector.
import * as grpc from '@grpc/grpc-js';
import { createServer } from 'node:net';
import { PartyType } from '../../gen/ruqsat/common/v1/common.ts';
import { EntryStatus, PublishEntryRequest } from '../../gen/ruqsat/registry/v1/registry.ts';
import { withCheckDigit } from '../helpers/iin.ts';

export const COMPANY = withCheckDigit('01044000123');
export const PERSON = withCheckDigit('87060130012');

/** A licence as licensing would publish it; `over` replaces any field. */
export function licence(id: string, sequence: number, over: Partial<PublishEntryRequest> = {}): PublishEntryRequest {
  return PublishEntryRequest.fromPartial({
    register: 'registers/nsc-licenses',
    sourceService: 'licensing',
    sourceResource: `licenses/${id}`,
    sequence,
    number: `KZ-L-2026-${id}`,
    title: 'Licence for development of cryptographic information protection means',
    holder: { type: PartyType.PARTY_TYPE_LEGAL_ENTITY, identifier: COMPANY, displayName: 'Қорғау ЖШС' },
    status: EntryStatus.ENTRY_STATUS_ACTIVE,
    effectiveTime: new Date('2026-03-02T04:00:00Z'),
    document: { payload: Buffer.from(`{"licence":"${id}","v":${sequence}}`), signature: Buffer.from('sig'), certificateChain: [Buffer.from('cert')] },
    attributes: { kind: 'crypto_development', sub_kinds: 'development,production' },
    ...over,
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Reads a server stream until `count` messages came, or fails after `ms`. */
export function collect<T>(stream: grpc.ClientReadableStream<T>, count: number, ms = 5_000): Promise<T[]> {
  const got: T[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${got.length} of ${count} messages in ${ms} ms`)), ms);
    stream.on('data', (m: T) => {
      got.push(m);
      if (got.length === count) {
        clearTimeout(timer);
        resolve(got);
      }
    });
    stream.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** Reads a server stream until `done` holds for what came, or fails after `ms`. */
export function collectUntil<T>(stream: grpc.ClientReadableStream<T>, done: (got: T[]) => boolean, ms = 10_000): Promise<T[]> {
  const got: T[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`condition not met after ${got.length} messages in ${ms} ms`)), ms);
    stream.on('data', (m: T) => {
      got.push(m);
      if (done(got)) {
        clearTimeout(timer);
        stream.cancel();
        resolve(got);
      }
    });
    stream.on('error', (err: grpc.ServiceError) => {
      if (err.code === grpc.status.CANCELLED) return;
      clearTimeout(timer);
      reject(err);
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function eventually<T>(what: () => Promise<T | undefined | false>, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (v) return v;
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(50);
  }
}
