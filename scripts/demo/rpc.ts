// Promise-shaped calls and signed acts for the demo: what an applicant's or an official's software does.
import * as grpc from '@grpc/grpc-js';
import { sign, type KeyObject } from 'node:crypto';
import type { SignedEnvelope } from '../../gen/ruqsat/common/v1/common.ts';
import { decodeStatusDetails } from '../../services/kit/errors.ts';

type Callback<Res> = (err: grpc.ServiceError | null, res: Res) => void;
type Unary<Req, Res> = (req: Req, metadata: grpc.Metadata, options: Partial<grpc.CallOptions>, callback: Callback<Res>) => grpc.ClientUnaryCall;

/** Calls a unary method of a generated client, bound: `ask(permits.getPermit.bind(permits), {...})`. */
export function ask<Req, Res>(method: Unary<Req, Res>, req: Req, deadlineMs = 20_000): Promise<Res> {
  return new Promise((resolve, reject) => {
    method(req, new grpc.Metadata(), { deadline: Date.now() + deadlineMs }, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

/** A refused call in words: status code, the ErrorInfo reason, the message. */
export function refusal(err: unknown): { code: string; reason: string; message: string } {
  const e = err as grpc.ServiceError;
  if (typeof e?.code !== 'number') throw err;
  const status = e.metadata ? decodeStatusDetails(e.metadata) : undefined;
  return { code: grpc.status[e.code] ?? String(e.code), reason: status?.errorInfo?.reason ?? '', message: e.details };
}

/** Runs a call that must be refused; returns the refusal, or throws when it succeeds. */
export async function refused(what: string, call: Promise<unknown>): Promise<ReturnType<typeof refusal>> {
  try {
    await call;
  } catch (err) {
    return refusal(err);
  }
  throw new Error(`${what} was expected to be refused, but it succeeded`);
}

/** An EDS-signed JSON act carrying the signer's chain (its certificate first). */
export function signAct(key: KeyObject, act: object, chain: Uint8Array[]): SignedEnvelope {
  const payload = Buffer.from(JSON.stringify(act));
  return { payload, signature: sign(null, payload, key), certificateChain: chain.map((c) => Buffer.from(c)) };
}

/** A detached signature (base64) over exact bytes: the draft document the signatory signs. */
export const signBytes = (key: KeyObject, bytes: Uint8Array): string => sign(null, bytes, key).toString('base64');
