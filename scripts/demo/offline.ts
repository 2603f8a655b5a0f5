// A customs post with no connection: it keeps the Root CA, the CA certificates and the latest CRLs as files
// (synced when it last had a link) and checks an exported permit with them alone, as
// `npx ruqsat verify-document --ca … --untrusted … --crl … permit.json` does.
import * as grpc from '@grpc/grpc-js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SignedEnvelope } from '../../gen/ruqsat/common/v1/common.ts';
import type { TrustServiceClient } from '../../gen/ruqsat/trust/v1/trust.ts';
import { exportSignedDocument, importSignedDocument } from '../../services/kit/documents/export.ts';
import { toPem } from '../../services/trust/domain/pki/der.ts';
import { trustFromFiles, verifyEnvelope, type Verdict } from '../cli/verify-document.ts';
import { ask } from './rpc.ts';

type Trust = InstanceType<typeof TrustServiceClient>;

export interface OfflineKit {
  ca: string;
  untrusted: string;
  crl: string;
  /** How many CRLs the kit holds. */
  crls: number;
}

/** Downloads the anchors, CA certificates and every current full and delta CRL into `dir`. */
export async function syncOfflineKit(trust: Trust, dir: string): Promise<OfflineKit> {
  const { anchors } = await ask(trust.listTrustAnchors.bind(trust), {});
  const { authorities } = await ask(trust.listAuthorities.bind(trust), { pageSize: 1000, pageToken: '' });
  const crls: string[] = [];
  for (const a of authorities) {
    for (const delta of [false, true]) {
      // A centre that has published no CRL (yet) answers NOT_FOUND: nothing to keep.
      const crl = await ask(trust.getCrl.bind(trust), { authority: a.name, delta }).catch((err: grpc.ServiceError) => (err.code === grpc.status.NOT_FOUND ? undefined : Promise.reject(err)));
      if (crl) crls.push(toPem(crl.crlDer, 'X509 CRL'));
    }
  }
  const kit = { ca: join(dir, 'root-ca.pem'), untrusted: join(dir, 'ca-certificates.pem'), crl: join(dir, 'crls.pem'), crls: crls.length };
  writeFileSync(kit.ca, anchors.map((a) => toPem(a.certificateDer, 'CERTIFICATE')).join(''));
  writeFileSync(kit.untrusted, authorities.filter((a) => !anchors.some((x) => x.name === a.name)).map((a) => toPem(a.certificateDer, 'CERTIFICATE')).join(''));
  writeFileSync(kit.crl, crls.join(''));
  return kit;
}

export function exportDocument(envelope: SignedEnvelope, file: string): void {
  writeFileSync(file, exportSignedDocument(envelope));
}

/** The offline check: the export file and the kit's files, no network. */
export function checkOffline(file: string, kit: OfflineKit): Verdict {
  return verifyEnvelope(importSignedDocument(readFileSync(file, 'utf8')), trustFromFiles([kit.ca], [kit.crl], [kit.untrusted]));
}

export const commandLine = (file: string, kit: OfflineKit) => `npx ruqsat verify-document --ca ${kit.ca} --untrusted ${kit.untrusted} --crl ${kit.crl} ${file}`;
