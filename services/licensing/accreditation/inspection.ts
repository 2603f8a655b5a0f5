// The on-site inspection (para 12): the 15 items as structured findings, and the chain-building check the
// commission runs with the trust core on a user certificate the applicant's CA issued and on that CA's CRL.
import { createHash } from 'node:crypto';
import { parseCertificate, parseCrl, TrustStore, type Certificate } from '../../../core-wasm/src/index.ts';
import { canonicalJson, type JsonValue } from '../../kit/audit.ts';
import type { FieldViolation } from '../../kit/errors.ts';
import { parseCsr } from '../../trust/domain/pki/csr.ts';

/** §2.5: the items the commission checks on site, in the order of para 12. */
export const ONSITE_ITEMS = [
  'cipf_compatibility', // 1 the CIPF is compatible with the Root CA
  'chain_building', // 2 a chain from the Root CA to a user certificate is built (computed below)
  'oids_in_certificates', // 3 issued certificates carry the OIDs the provider registered (computed below)
  'chain_verification', // 4 a mechanism to check chains exists
  'registered_oids', // 5 the centre's OIDs are registered
  'server_room', // 6
  'communication_channels', // 7
  'time_synchronization', // 8 national time standard, GNSS, international sources
  'unified_time', // 9 the Law "On communications"
  'services', // 10
  'infrastructure', // 11 certification centre and registration centres
  'physical_servers', // 12 primary and backup
  'crl_access', // 13 the CRL is reachable (computed below: the CRL the centre gave verifies)
  'hsm', // 14 primary and backup HSMs protecting the master keys
  'server_room_requirements', // 15 UPS, air conditioning, unoccupied, grounding ≥ 1.5 cm, ceiling ≥ 2.44 m, fire system, access control, bound log
] as const;

/** The items the chain-building check decides; the commission's own finding on them must agree with it. */
const COMPUTED: Record<string, (c: ChainCheck) => boolean> = {
  chain_building: (c) => c.code === 'OK' || c.code === 'POLICY',
  oids_in_certificates: (c) => c.code === 'OK',
  crl_access: (c) => c.crl_ok,
};

export interface ChainCheck {
  ok: boolean;
  /** The core's code: OK, REVOKED, BAD_SIGNATURE, POLICY, … or CA_KEY_MISMATCH / MALFORMED. */
  code: string;
  message: string;
  anchor: string;
  ca_subject: string;
  user_subject: string;
  user_serial: string;
  crl_ok: boolean;
  policies: string[];
}

export interface ChainMaterial {
  caCertificate: Buffer;
  userCertificate: Buffer;
  crl: Buffer;
}

const b64 = (v: unknown) => (typeof v === 'string' && v !== '' ? Buffer.from(v, 'base64') : undefined);

/** The certificates and CRL the commission took from the applicant's CIPF (base64 DER), or violations. */
export function chainMaterial(act: Record<string, unknown>, v: FieldViolation[]): ChainMaterial | undefined {
  const c = (act.chain_check ?? {}) as Record<string, unknown>;
  const m = { caCertificate: b64(c.ca_certificate), userCertificate: b64(c.user_certificate), crl: b64(c.crl) };
  if (!m.caCertificate || !m.userCertificate || !m.crl) {
    v.push({ field: 'act.payload.chain_check', description: "the chain-building check needs the centre's CA certificate, a user certificate it issued and its CRL (base64 DER)" });
    return undefined;
  }
  return m as ChainMaterial;
}

/**
 * Runs the trust core on the user certificate under `anchors` (the centre's own CA certificate during the inspection,
 * the Root CA once the Root CA has certified the centre), with the centre's CRL, requiring a registered policy.
 */
export function runChainCheck(m: ChainMaterial, anchors: Certificate[], intermediates: Certificate[], policies: string[], csrPem: string, at = new Date()): ChainCheck {
  const base = { anchor: anchors.map((a) => a.subject.text).join('; '), ca_subject: '', user_subject: '', user_serial: '', crl_ok: false, policies };
  let ca: Certificate, user: Certificate;
  try {
    ca = parseCertificate(m.caCertificate);
    user = parseCertificate(m.userCertificate);
  } catch (err) {
    return { ...base, ok: false, code: 'MALFORMED', message: `a certificate cannot be read: ${(err as Error).message}` };
  }
  const named = { ...base, ca_subject: ca.subject.text, user_subject: user.subject.text, user_serial: user.serialHex };
  // The Root CA will certify the CSR's key: the chain checked must hang from that very key.
  if (!Buffer.from(ca.spki).equals(Buffer.from(parseCsr(csrPem).subjectPublicKeyInfo))) {
    return { ...named, ok: false, code: 'CA_KEY_MISMATCH', message: "the CA certificate's key is not the key of the centre's CSR" };
  }
  const store = new TrustStore({ anchors, cache: false });
  let crlOk = false;
  try {
    const crl = parseCrl(m.crl);
    store.addCrl(crl);
    crlOk = crl.issuer.key === ca.subject.key;
  } catch (err) {
    return { ...named, ok: false, code: 'MALFORMED', message: `the CRL cannot be read: ${(err as Error).message}` };
  }
  const r = store.verify(user, { intermediates, crlCheck: 'leaf', policies, time: at });
  // A CRL that does not verify under the CA shows up as a CRL code on the leaf.
  crlOk = crlOk && !r.code.startsWith('CRL');
  return { ...named, ok: r.ok, code: r.code, message: r.ok ? 'the chain validates, the user certificate is not revoked and carries a registered policy' : r.message, crl_ok: crlOk };
}

export interface ItemFinding {
  complies: boolean;
  note: string;
}

/** The 15 items as the commission recorded them, checked against the computed ones, or violations. */
export function checklistOf(act: Record<string, unknown>, check: ChainCheck | undefined, v: FieldViolation[]): Record<string, ItemFinding> | undefined {
  const raw = act.checklist as Record<string, unknown> | undefined;
  const field = 'act.payload.checklist';
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    v.push({ field, description: `the 15 on-site items (para 12), each {complies, note}: ${ONSITE_ITEMS.join(', ')}` });
    return undefined;
  }
  const out: Record<string, ItemFinding> = {};
  for (const item of ONSITE_ITEMS) {
    const f = raw[item] as Record<string, unknown> | undefined;
    if (!f || typeof f.complies !== 'boolean') {
      v.push({ field: `${field}.${item}`, description: 'is required: {complies, note}' });
      continue;
    }
    const note = typeof f.note === 'string' ? f.note : '';
    if (!f.complies && note.trim() === '') v.push({ field: `${field}.${item}`, description: 'a non-compliant item says what is wrong in "note"' });
    if (check && COMPUTED[item] && COMPUTED[item](check) !== f.complies) {
      v.push({ field: `${field}.${item}`, description: `contradicts the chain-building check (${check.code}: ${check.message})` });
    }
    out[item] = { complies: f.complies, note };
  }
  for (const k of Object.keys(raw)) if (!(ONSITE_ITEMS as readonly string[]).includes(k)) v.push({ field: `${field}.${k}`, description: 'is not an on-site item' });
  return out;
}

/** The act on the results of the inspection (para 13) as the bytes the members sign. */
export function encodeInspectionAct(act: { application: string; registration_number: string; legal_entity: { bin: string; name: string }; ca_name: string; date: string; checklist: Record<string, ItemFinding>; chain_check: ChainCheck; complies: boolean; reasons: string[]; recommendations: string }): { bytes: Buffer; sha256: string } {
  const bytes = Buffer.from(canonicalJson({ document: 'ruqsat.accreditation_inspection_act', ...act } as unknown as JsonValue), 'utf8');
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}
