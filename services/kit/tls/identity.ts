// A process's mesh identity on disk (certificate, key, the mesh trust bundle), re-read on a timer
// so a renewed certificate is used by new connections without a restart.
import * as grpc from '@grpc/grpc-js';
import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface IdentityPaths {
  /** The mesh trust bundle: the Root CA and the mesh CA, PEM. */
  ca: string;
  cert: string;
  key: string;
}

export function identityPaths(dir: string, system: string): IdentityPaths {
  return { ca: join(dir, 'ca.pem'), cert: join(dir, `${system}.crt.pem`), key: join(dir, `${system}.key.pem`) };
}

export function hasIdentity(dir: string, system: string): boolean {
  const p = identityPaths(dir, system);
  return existsSync(p.ca) && existsSync(p.cert) && existsSync(p.key);
}

/** Temp file, fsync, rename: a reader sees the old file or the new one, never half of one. */
export function writeFileAtomic(path: string, data: string, mode = 0o644): void {
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(tmp, mode);
  renameSync(tmp, path);
}

export function writeIdentity(dir: string, system: string, files: { certificatePem: string; privateKeyPem?: string; caPem: string }): IdentityPaths {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const p = identityPaths(dir, system);
  writeFileAtomic(p.ca, files.caPem);
  // The key first: a renewal keeps the key, so cert and key on disk always belong together.
  if (files.privateKeyPem) writeFileAtomic(p.key, files.privateKeyPem, 0o600);
  writeFileAtomic(p.cert, files.certificatePem);
  return p;
}

/** Server and channel credentials from one file watcher: both follow a rotated certificate. */
export class MeshIdentity {
  readonly paths: IdentityPaths;
  private readonly provider: grpc.experimental.FileWatcherCertificateProvider;

  constructor(
    readonly dir: string,
    readonly system: string,
    refreshMs: number,
  ) {
    this.paths = identityPaths(dir, system);
    if (!hasIdentity(dir, system)) throw new Error(`no mesh identity "${system}" in ${dir} (expected ca.pem, ${system}.crt.pem, ${system}.key.pem)`);
    this.provider = new grpc.experimental.FileWatcherCertificateProvider({
      caCertificateFile: this.paths.ca,
      certificateFile: this.paths.cert,
      privateKeyFile: this.paths.key,
      refreshIntervalMs: refreshMs,
    });
  }

  /** Resolves once the files have been read: a server bound before that would refuse every handshake. */
  loaded(): Promise<void> {
    return new Promise((resolve) => {
      let ca = false;
      let identity = false;
      const onCa = (u: unknown) => {
        ca ||= u !== null;
        if (ca && identity) done();
      };
      const onIdentity = (u: unknown) => {
        identity ||= u !== null;
        if (ca && identity) done();
      };
      const done = () => {
        this.provider.removeCaCertificateListener(onCa);
        this.provider.removeIdentityCertificateListener(onIdentity);
        resolve();
      };
      this.provider.addCaCertificateListener(onCa);
      this.provider.addIdentityCertificateListener(onIdentity);
    });
  }

  /** TLS with a client certificate required and checked against the mesh trust bundle. */
  serverCredentials(): grpc.ServerCredentials {
    return grpc.experimental.createCertificateProviderServerCredentials(this.provider, this.provider, true);
  }

  channelCredentials(): grpc.ChannelCredentials {
    return grpc.experimental.createCertificateProviderChannelCredentials(this.provider, this.provider);
  }
}
