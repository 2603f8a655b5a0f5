// Host identity against subjectAltName (RFC 6125): exact DNS name or left-most-label wildcard; IPs exact.
import { isIP } from 'node:net';
import type { Certificate } from './x509.ts';

/** IPv4/IPv6 literal to its 4 or 16 bytes, or null when s is not an IP literal. */
export function parseIp(s: string): Uint8Array | null {
  const host = s.replace(/^\[|\]$/g, '');
  const kind = isIP(host);
  if (kind === 4) return new Uint8Array(host.split('.').map(Number));
  if (kind !== 6) return null;
  let text = host.split('%')[0];
  const v4 = text.match(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/);
  if (v4) {
    const b = v4.slice(1).map(Number);
    text = text.slice(0, -v4[0].length) + `${((b[0] << 8) | b[1]).toString(16)}:${((b[2] << 8) | b[3]).toString(16)}`;
  }
  const [head, rest] = text.split('::');
  const words = (x: string | undefined) => (x ? x.split(':').filter((w) => w !== '').map((w) => parseInt(w, 16)) : []);
  const h = words(head);
  const r = rest === undefined ? [] : words(rest);
  const fill = 8 - h.length - r.length;
  const all = [...h, ...new Array(rest === undefined ? 0 : Math.max(fill, 0)).fill(0), ...r];
  if (all.length !== 8) return null;
  const out = new Uint8Array(16);
  all.forEach((w, i) => { out[2 * i] = w >> 8; out[2 * i + 1] = w & 0xff; });
  return out;
}

function dnsMatch(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase().replace(/\.$/, '');
  if (p === host) return true;
  if (!p.startsWith('*.')) return false;
  const suffix = p.slice(2);
  // The wildcard covers exactly one label and never a bare public-suffix-like "*.tld".
  if (!suffix.includes('.') || suffix.includes('*')) return false;
  const dot = host.indexOf('.');
  return dot > 0 && host.slice(dot + 1) === suffix;
}

export function matchesHost(cert: Certificate, host: string): boolean {
  const sans = cert.subjectAltNames ?? [];
  const ip = parseIp(host);
  if (ip) return sans.some((n) => n.type === 'ip' && Buffer.compare(n.bytes, ip) === 0);
  const h = host.toLowerCase().replace(/\.$/, '');
  return sans.some((n) => n.type === 'dns' && dnsMatch(n.value, h));
}
