// Mesh identities: the mesh CA issues each service and agency system a mutual-TLS certificate
// (O = organization, OU = BIN…, CN = system). In demo mode the trust process issues the ones
// that are missing at start, and renews them (same key, new certificate) before they expire.
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { isIP } from 'node:net';
import type { Logger } from 'pino';
import { parseCertificate, pemBlocks } from '../../core-wasm/src/index.ts';
import type { DemoSystem } from '../kit/access/rights.ts';
import { SERVICE_NAMES, type MeshTlsConfig } from '../kit/config.ts';
import { hasIdentity, identityPaths, writeIdentity } from '../kit/tls/identity.ts';
import type { Authorities } from './authorities.ts';
import { templateFor } from './domain/issue.ts';
import { buildCertificate } from './domain/pki/certificate.ts';
import { toPem } from './domain/pki/der.ts';
import { encodeName } from './domain/pki/names.ts';

/** Names a client may dial a service by: loopback, this host, the services' names (as in deploy/). */
function serviceNames(host: string): { dns: string[]; ip: string[] } {
  const inCluster = SERVICE_NAMES.flatMap((s) => [s, `${s}-headless`]).flatMap((s) => [s, `${s}.ruqsat.svc`, `${s}.ruqsat.svc.cluster.local`]);
  const dns = ['localhost', hostname(), ...inCluster];
  const ip = ['127.0.0.1', '::1'];
  if (isIP(host) && host !== '0.0.0.0' && host !== '::') ip.push(host);
  else if (!isIP(host)) dns.push(host);
  return { dns: [...new Set(dns)], ip: [...new Set(ip)] };
}

export interface IssuedIdentity {
  certificatePem: string;
  privateKeyPem?: string;
  caPem: string;
  serialHex: string;
}

/** Issues `system` a service_mtls certificate; with `keyPem` it certifies that key again (renewal). */
export async function issueMeshIdentity(authorities: Authorities, who: DemoSystem, host: string, keyPem?: string): Promise<IssuedIdentity> {
  const mesh = authorities.get('mesh');
  if (!mesh) throw new Error('the mesh CA is not open in this trust instance');
  let privateKeyPem: string | undefined;
  let spki: Uint8Array;
  if (keyPem) spki = new Uint8Array(createPublicKey(keyPem).export({ type: 'spki', format: 'der' }));
  else {
    const pair = generateKeyPairSync('ed25519');
    privateKeyPem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    spki = new Uint8Array(pair.publicKey.export({ type: 'spki', format: 'der' }));
  }
  const subject = encodeName([
    { type: 'C', value: 'KZ' },
    { type: 'O', value: who.organization },
    { type: 'OU', value: `BIN${who.bin}` },
    { type: 'CN', value: who.system },
  ]);
  const profile = authorities.profile('service_mtls');
  // Only Ruqsat's own services serve: an agency system's certificate names no host, so it cannot pose as one.
  const san = who.system.startsWith('ruqsat-') ? serviceNames(host) : undefined;
  const der = buildCertificate(templateFor(profile, subject, spki, mesh, new Date(), authorities.endpoints, san), mesh.signer);
  const cert = await authorities.store.db.transaction((trx) => authorities.recordIssued(trx, mesh.id, der, 'service_mtls', `${who.bin}/${who.system}`));
  return { certificatePem: toPem(der, 'CERTIFICATE'), privateKeyPem, caPem: bundleOf(authorities), serialHex: cert.serialHex };
}

/** The mesh trust bundle: the Root CA, then the mesh CA. */
function bundleOf(authorities: Authorities): string {
  const mesh = authorities.get('mesh');
  const root = authorities.anchors()[0];
  if (!mesh || !root) throw new Error('the mesh CA is not open in this trust instance');
  return toPem(root.certificateDer, 'CERTIFICATE') + toPem(mesh.certificateDer, 'CERTIFICATE');
}

/** Demo mode: every listed system without an identity in the directory gets one. */
export async function provisionMeshIdentities(authorities: Authorities, tls: MeshTlsConfig, systems: DemoSystem[], host: string, logger: Logger): Promise<void> {
  // Identities a different mesh CA issued (a database made anew beside an old directory) are replaced.
  const bundle = bundleOf(authorities);
  const stale = existsSync(identityPaths(tls.dir, 'x').ca) && readFileSync(identityPaths(tls.dir, 'x').ca, 'utf8') !== bundle;
  if (stale) logger.warn({ dir: tls.dir }, 'mesh identities were issued by another mesh CA: issuing new ones (demo mode)');
  for (const who of systems) {
    if (!stale && hasIdentity(tls.dir, who.system)) continue;
    const issued = await issueMeshIdentity(authorities, who, host);
    writeIdentity(tls.dir, who.system, issued);
    logger.info({ system: who.system, serial: issued.serialHex, dir: tls.dir }, 'mesh identity issued (demo mode)');
  }
}

/** Renews (same key) every listed identity older than `renewAfterMs`; the file watchers pick it up. */
export async function renewMeshIdentities(authorities: Authorities, tls: MeshTlsConfig, systems: DemoSystem[], host: string, renewAfterMs: number, logger: Logger): Promise<number> {
  let renewed = 0;
  for (const who of systems) {
    if (!hasIdentity(tls.dir, who.system)) continue;
    const paths = identityPaths(tls.dir, who.system);
    const current = parseCertificate(pemBlocks(readFileSync(paths.cert, 'utf8'))[0]!.der);
    const age = Date.now() - (current.notBefore * 1000 + 60_000);
    const lifetime = (current.notAfter - current.notBefore) * 1000;
    if (age < renewAfterMs && age < (lifetime * 2) / 3) continue;
    // A revoked identity stays revoked: only an operator issues that system a new one.
    const row = await authorities.store.certificate('mesh', current.serialHex.replace(/^0+(?=.)/, ''));
    if (row?.status === 'revoked') continue;
    const issued = await issueMeshIdentity(authorities, who, host, readFileSync(paths.key, 'utf8'));
    writeIdentity(tls.dir, who.system, issued);
    logger.info({ system: who.system, serial: issued.serialHex, previous: current.serialHex }, 'mesh identity renewed');
    renewed++;
  }
  return renewed;
}

/** The demo systems of the access-rights file, plus one identity per service for separate processes. */
export function demoSystems(listed: DemoSystem[], processIdentity: string): DemoSystem[] {
  const mesh = listed.find((d) => d.system.startsWith('ruqsat-')) ?? { system: 'ruqsat-mesh', bin: '100140000011', organization: 'Ruqsat mesh operator (demo)' };
  const own = [processIdentity, ...SERVICE_NAMES.map((s) => `ruqsat-${s}`)].filter((s) => s && !listed.some((d) => d.system === s));
  return [...listed, ...[...new Set(own)].map((system) => ({ ...mesh, system }))];
}
