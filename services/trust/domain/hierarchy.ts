// The national PKI's own certifying centres, created by the key ceremony (`ruqsat ca init`).
import type { NameAttribute } from './pki/names.ts';

export interface CaSpec {
  id: string;
  kind: 'root' | 'national' | 'mesh' | 'accredited';
  displayName: string;
  subject: NameAttribute[];
  profile: string;
  parent?: string;
}

export const HIERARCHY: CaSpec[] = [
  {
    id: 'root',
    kind: 'root',
    // Негізгі куәландырушы орталық — the Root CA that registers every other certifying centre.
    displayName: 'Root Certifying Centre of the Republic of Kazakhstan',
    subject: [
      { type: 'C', value: 'KZ' },
      { type: 'O', value: 'Ruqsat' },
      { type: 'CN', value: 'Негізгі куәландырушы орталық (Root CA)' },
    ],
    profile: 'root_ca',
  },
  {
    id: 'nca',
    kind: 'national',
    // ҚР ҰКО — issues registration certificates to individuals and legal entities.
    displayName: 'National Certifying Centre of the Republic of Kazakhstan',
    subject: [
      { type: 'C', value: 'KZ' },
      { type: 'O', value: 'Ruqsat' },
      { type: 'CN', value: 'ҚР Ұлттық куәландырушы орталығы (NCA)' },
    ],
    profile: 'nca_issuing_ca',
    parent: 'root',
  },
  {
    id: 'mesh',
    kind: 'mesh',
    displayName: 'Ruqsat mesh CA (service certificates)',
    subject: [
      { type: 'C', value: 'KZ' },
      { type: 'O', value: 'Ruqsat' },
      { type: 'CN', value: 'Ruqsat Mesh CA' },
    ],
    profile: 'mesh_ca',
    parent: 'root',
  },
];

/** RFC 5280 CRLReason codes a revocation request may carry (cACompromise only for CA certificates). */
export const REVOCATION_REASONS: Record<number, string> = {
  0: 'unspecified',
  1: 'keyCompromise',
  2: 'cACompromise',
  3: 'affiliationChanged',
  4: 'superseded',
  5: 'cessationOfOperation',
  9: 'privilegeWithdrawn',
};
