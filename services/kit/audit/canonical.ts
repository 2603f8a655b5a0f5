// The exact bytes an audit entry's hash covers, and the hash itself (SHA-256 from the trust core).
import { hex, sha256Batch } from '../../../core-wasm/src/index.ts';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** prev_hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** What the hash covers; `position` is the entry's gapless place in the chain (1, 2, 3, …). */
export interface HashedFields {
  position: number;
  prevHash: string;
  at: Date;
  actor: string;
  action: string;
  resource: string;
  payload: JsonValue;
}

/**
 * The canonical text, hashed as UTF-8 (lines joined by '\n', no trailing newline):
 *
 *   ruqsat.audit.v1
 *   <prev_hash: 64 lowercase hex>
 *   <position: decimal, no leading zeros>
 *   <at: Date.toISOString(), UTC with milliseconds, e.g. 2026-11-22T07:35:16.211Z>
 *   <actor>
 *   <action>
 *   <resource>
 *   <payload: canonical JSON — object keys sorted by UTF-16 code units, no whitespace, JSON.stringify escaping>
 *
 * actor, action and resource may not contain control characters, so the newlines frame the fields unambiguously.
 */
export function canonicalText(f: HashedFields): string {
  return ['ruqsat.audit.v1', f.prevHash, String(f.position), f.at.toISOString(), f.actor, f.action, f.resource, canonicalJson(f.payload)].join('\n');
}

export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
}

const encoder = new TextEncoder();

/** Lowercase hex SHA-256 of each entry's canonical text, in one core call. */
export function entryHashes(entries: readonly HashedFields[]): string[] {
  if (entries.length === 0) return [];
  return sha256Batch(entries.map((e) => encoder.encode(canonicalText(e)))).map(hex);
}

export function entryHash(entry: HashedFields): string {
  return entryHashes([entry])[0];
}
