// The trust service's own settings: its HTTP endpoint (CRLs, OCSP), CRL timing, the CA key passphrase.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError, readInt, readString } from '../kit/config.ts';
import { POLICY_ARC } from './domain/pki/profiles.ts';

type Env = Record<string, string | undefined>;

export interface TrustConfig {
  /** HTTP port for /crl/<ca>.crl|.pem and /ocsp; 0 picks a free one, -1 turns it off. */
  httpPort: number;
  /** Base URL certificates name for their CRL distribution point and OCSP responder. */
  publicUrl?: string;
  /** A full CRL is issued this often; deltas follow each revocation at once. */
  fullCrlIntervalMs: number;
  /** nextUpdate of a full CRL and of a delta CRL, from their thisUpdate. */
  fullCrlValidityMs: number;
  deltaCrlValidityMs: number;
  /** How often trust fetches each active accredited centre's CRL from its registered distribution points. */
  accreditedCrlFetchIntervalMs: number;
  passphraseFile: string;
  passphraseFromEnv?: string;
  /** The OID arc Ruqsat's certificate-type and role policies sit under (a placeholder until one is registered). */
  policyArc: string;
  /** Demo mode renews mesh identities this old (same key, new certificate); at 2/3 of their life in any case. */
  meshRenewAfterMs: number;
}

export function trustConfig(env: Env = process.env): TrustConfig {
  const publicUrl = readString(env, 'TRUST_PUBLIC_URL', '');
  if (publicUrl && !/^https?:\/\/[^/]+/.test(publicUrl)) throw new ConfigError('TRUST_PUBLIC_URL', `expected an http(s) URL, got "${publicUrl}"`);
  return {
    httpPort: readInt(env, 'TRUST_HTTP_PORT', 50080, -1, 65535),
    publicUrl: publicUrl ? publicUrl.replace(/\/+$/, '') : undefined,
    fullCrlIntervalMs: readInt(env, 'CRL_FULL_INTERVAL_MS', 3_600_000, 1_000, 7 * 86_400_000),
    fullCrlValidityMs: readInt(env, 'CRL_FULL_VALIDITY_MS', 86_400_000, 60_000, 30 * 86_400_000),
    deltaCrlValidityMs: readInt(env, 'CRL_DELTA_VALIDITY_MS', 3_600_000, 10_000, 7 * 86_400_000),
    // 15 min: well inside a centre's CRL lifetime (hours to days), and light on the centre's web server.
    accreditedCrlFetchIntervalMs: readInt(env, 'ACCREDITED_CRL_FETCH_INTERVAL_MS', 900_000, 100, 86_400_000),
    passphraseFile: readString(env, 'RUQSAT_CA_PASSPHRASE_FILE', './data/ca-passphrase'),
    passphraseFromEnv: env.RUQSAT_CA_PASSPHRASE || undefined,
    policyArc: policyArc(env),
    meshRenewAfterMs: readInt(env, 'MESH_TLS_RENEW_AFTER_MS', 60 * 86_400_000, 1_000, 365 * 86_400_000),
  };
}

function policyArc(env: Env): string {
  const arc = readString(env, 'TRUST_POLICY_ARC', POLICY_ARC);
  if (!/^[0-2](\.\d+)+$/.test(arc)) throw new ConfigError('TRUST_POLICY_ARC', `expected a dotted OID, got "${arc}"`);
  return arc;
}

/** Thrown when CA keys exist but nothing can unlock them. */
export class PassphraseMissing extends Error {}

/**
 * The passphrase that encrypts CA keys: from the environment, else from the file. A demo hierarchy
 * on a fresh machine (`allowCreate`) gets a random one written to the file, readable by its owner only.
 */
export function caPassphrase(config: TrustConfig, allowCreate: boolean): string {
  if (config.passphraseFromEnv) return config.passphraseFromEnv;
  if (existsSync(config.passphraseFile)) {
    const value = readFileSync(config.passphraseFile, 'utf8').trim();
    if (value.length < 16) throw new ConfigError('RUQSAT_CA_PASSPHRASE_FILE', 'the passphrase must be at least 16 characters');
    return value;
  }
  if (!allowCreate) {
    throw new PassphraseMissing(`the CA keys are encrypted: set RUQSAT_CA_PASSPHRASE or put the passphrase in ${config.passphraseFile}`);
  }
  const generated = randomBytes(32).toString('base64url');
  mkdirSync(dirname(config.passphraseFile), { recursive: true });
  writeFileSync(config.passphraseFile, generated + '\n', { mode: 0o600 });
  chmodSync(config.passphraseFile, 0o600);
  return generated;
}
