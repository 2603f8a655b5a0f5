// Name constraints (RFC 5280 §4.2.1.10): permitted and excluded subtrees over DNS, email, URI, IP, DN.
import type { Certificate } from './x509.ts';
import type { GeneralName, Name } from './name.ts';
import type { NameConstraints } from './extensions.ts';
import { OID } from './oid.ts';

function domainWithin(name: string, base: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  const b = base.toLowerCase();
  if (b === '') return true;
  if (b.startsWith('.')) return n.endsWith(b);
  return n === b || n.endsWith('.' + b);
}

function emailWithin(addr: string, base: string): boolean {
  const at = addr.lastIndexOf('@');
  if (base.includes('@')) return addr.slice(0, at) === base.slice(0, base.lastIndexOf('@')) && addr.slice(at + 1).toLowerCase() === base.slice(base.lastIndexOf('@') + 1).toLowerCase();
  const host = addr.slice(at + 1).toLowerCase();
  return base.startsWith('.') ? host.endsWith(base.toLowerCase()) : host === base.toLowerCase();
}

function uriHost(uri: string): string | null {
  const m = uri.match(/^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?(\[[^\]]*\]|[^:/?#]*)/i);
  return m ? m[1] : null;
}

function ipWithin(ip: Uint8Array, base: Uint8Array): boolean {
  if (base.length !== ip.length * 2) return false;
  for (let i = 0; i < ip.length; i++) if ((ip[i] & base[ip.length + i]) !== (base[i] & base[ip.length + i])) return false;
  return true;
}

function dnWithin(name: Name, base: Name): boolean {
  if (base.rdnKeys.length > name.rdnKeys.length) return false;
  return base.rdnKeys.every((k, i) => name.rdnKeys[i] === k);
}

type Kind = 'dns' | 'email' | 'uri' | 'ip' | 'dir';

interface Subject { kind: Kind; within(base: GeneralName): boolean }

function subjectNames(cert: Certificate, leaf: boolean): Subject[] {
  const out: Subject[] = [];
  if (cert.subject.rdns.length > 0) out.push({ kind: 'dir', within: (b) => b.type === 'dir' && dnWithin(cert.subject, b.name) });
  for (const rdn of cert.subject.rdns) for (const a of rdn) if (a.type === OID.emailAddress) out.push({ kind: 'email', within: (b) => b.type === 'email' && emailWithin(a.value, b.value) });
  // Like OpenSSL: when the leaf has no dNSName SAN, a hostname-shaped CN is held to DNS constraints too.
  const sans = cert.subjectAltNames ?? [];
  if (leaf && !sans.some((n) => n.type === 'dns')) {
    for (const rdn of cert.subject.rdns) for (const a of rdn) {
      if (a.type === '2.5.4.3' && /^(\*\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z0-9-]+$/i.test(a.value)) {
        out.push({ kind: 'dns', within: (b) => b.type === 'dns' && domainWithin(a.value.replace(/^\*\./, ''), b.value) });
      }
    }
  }
  for (const n of sans) {
    if (n.type === 'dns') out.push({ kind: 'dns', within: (b) => b.type === 'dns' && domainWithin(n.value, b.value) });
    else if (n.type === 'email') out.push({ kind: 'email', within: (b) => b.type === 'email' && emailWithin(n.value, b.value) });
    else if (n.type === 'ip') out.push({ kind: 'ip', within: (b) => b.type === 'ip' && ipWithin(n.bytes, b.bytes) });
    else if (n.type === 'dir') out.push({ kind: 'dir', within: (b) => b.type === 'dir' && dnWithin(n.name, b.name) });
    else if (n.type === 'uri') {
      const host = uriHost(n.value);
      // A URI without a host cannot be shown to be inside a permitted subtree.
      out.push({ kind: 'uri', within: (b) => b.type === 'uri' && host !== null && domainWithin(host, b.value) });
    }
  }
  return out;
}

/** A message when cert's names fall outside nc, else null (leaf: a hostname-like CN counts as a DNS name). */
export function checkNameConstraints(cert: Certificate, nc: NameConstraints, leaf = false): string | null {
  // Constraints on a name form we do not implement (otherName, x400, ediParty, registeredID) cannot be
  // shown to hold for a certificate carrying that form: §4.2.1.10 says reject.
  for (const n of cert.subjectAltNames ?? []) {
    if (n.type === 'other' && [...nc.permitted, ...nc.excluded].some((b) => b.type === 'other' && b.tag === n.tag)) return `unsupported name form [${n.tag & 0x1f}] under constraints`;
  }
  for (const s of subjectNames(cert, leaf)) {
    const permitted = nc.permitted.filter((b) => b.type === s.kind);
    if (permitted.length > 0 && !permitted.some((b) => s.within(b))) return `${s.kind} name not within permitted subtrees`;
    if (nc.excluded.some((b) => b.type === s.kind && s.within(b))) return `${s.kind} name within excluded subtrees`;
  }
  return null;
}
