// Every unary and server-streaming RPC of every service, sent an empty request and one with each scalar field filled with garbage (3,000
// characters with a NUL and a bidi override, -1, true, random bytes, a date before the epoch): each answer is a
// clear status, never INTERNAL, UNKNOWN or a hang.
import * as grpc from '@grpc/grpc-js';
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { CaseServiceService } from '../gen/ruqsat/cases/v1/cases.ts';
import { DepositServiceService } from '../gen/ruqsat/deposit/v1/deposit.ts';
import { LicensingServiceService } from '../gen/ruqsat/licensing/v1/licensing.ts';
import { PermitServiceService } from '../gen/ruqsat/permit/v1/permit.ts';
import { RegistryServiceService } from '../gen/ruqsat/registry/v1/registry.ts';
import { TrustServiceService } from '../gen/ruqsat/trust/v1/trust.ts';
import type { ServiceName } from '../services/kit/config.ts';
import { startTestMesh, type TestMesh } from './helpers/mesh.ts';

type Method = { path: string; requestStream: boolean; responseStream: boolean; requestSerialize(m: unknown): Buffer; requestDeserialize(b: Buffer): Record<string, unknown> };

const TARGETS: [ServiceName, Record<string, Method>][] = [
  ['trust', TrustServiceService], ['licensing', LicensingServiceService], ['permit', PermitServiceService],
  ['deposit', DepositServiceService], ['registry', RegistryServiceService],
  ['licensing', CaseServiceService], ['permit', CaseServiceService], ['deposit', CaseServiceService], ['registry', CaseServiceService],
] as unknown as [ServiceName, Record<string, Method>][];

function garbage(v: unknown): unknown {
  if (typeof v === 'string') return 'x'.repeat(3000) + '\u0000/../\u202e';
  if (typeof v === 'number') return -1;
  if (typeof v === 'boolean') return true;
  if (v instanceof Uint8Array) return randomBytes(64);
  if (v instanceof Date) return new Date(-8.64e15);
  return v;
}

type Send = (client: grpc.Client, m: Method, bytes: Buffer) => Promise<number | undefined>;

/** Sends each method `wanted` picks, of every service, an empty and a garbage-filled request; the refused answers. */
async function sweep(t: TestMesh, wanted: (m: Method) => boolean, send: Send, refused: number[]): Promise<{ sent: number; bad: string[] }> {
  const bad: string[] = [];
  let sent = 0;
  for (const [service, definition] of TARGETS) {
    const client = new grpc.Client(t.address(service), grpc.credentials.createInsecure());
    for (const [name, m] of Object.entries(definition)) {
      if (!wanted(m)) continue;
      const filled = Object.fromEntries(Object.entries(m.requestDeserialize(Buffer.alloc(0))).map(([k, v]) => [k, garbage(v)]));
      for (const [kind, bytes] of [['empty', Buffer.alloc(0)], ['garbage', m.requestSerialize(filled)]] as const) {
        sent++;
        const code = await send(client, m, bytes);
        if (code !== undefined && refused.includes(code)) bad.push(`${service} ${name} (${kind}): ${grpc.status[code]}`);
      }
    }
    client.close();
  }
  return { sent, bad };
}

const unary: Send = (client, m, bytes) =>
  new Promise((resolve) =>
    client.makeUnaryRequest(m.path, (b: Buffer) => b, (b: Buffer) => b, bytes, new grpc.Metadata(), { deadline: Date.now() + 15_000 }, (err) => resolve(err ? err.code : grpc.status.OK)),
  );

// A watch may stay open: after 1 s it is cancelled and counts as answered.
const serverStream: Send = (client, m, bytes) =>
  new Promise((resolve) => {
    const call = client.makeServerStreamRequest(m.path, (b: Buffer) => b, (b: Buffer) => b, bytes, new grpc.Metadata(), {});
    call.on('data', () => undefined);
    call.on('error', () => undefined); // the status says it
    call.on('status', (st: grpc.StatusObject) => resolve(st.code));
    setTimeout(() => (resolve(undefined), call.cancel()), 1000);
  });

describe('bad input, every RPC with one request', function () {
  this.timeout(180_000);
  let t: TestMesh;
  before(async () => (t = await startTestMesh()));
  after(() => t?.stop());

  it('answers an empty and a garbage-filled request with a clear status (no INTERNAL, UNKNOWN or deadline)', async () => {
    const { sent, bad } = await sweep(t, (m) => !m.requestStream && !m.responseStream, unary, [grpc.status.INTERNAL, grpc.status.UNKNOWN, grpc.status.DEADLINE_EXCEEDED]);
    expect(sent).to.be.greaterThan(100);
    expect(bad).to.deep.equal([]);
  });

  it('server-streaming RPCs: the same requests end in a clear status, or stay open as a watch does (cancelled after 1 s)', async () => {
    const { sent, bad } = await sweep(t, (m) => !m.requestStream && m.responseStream, serverStream, [grpc.status.INTERNAL, grpc.status.UNKNOWN]);
    expect(sent).to.be.greaterThan(0);
    expect(bad).to.deep.equal([]);
  });
});
