// Whose upload an application may name: an object is deposited by the organisation that uploaded it, or through the
// very system that uploaded it (the portal back end uploads and submits for the applicant who signs).
import type { PartyKind } from '../../kit/party.ts';

/** A mesh caller under mutual TLS, "BIN/system"; anything else (a peer address with MESH_TLS off) names no organisation. */
const MESH_CALLER = /^(\d{12})\/([^/]+)$/;

export interface Binding {
  /** The caller that stored the object, as recorded when it was sealed. */
  uploader: string | undefined;
  applicant: { kind: PartyKind; identifier: string };
  /** The caller submitting the application. */
  submitter: string;
}

/** Why the applicant may not name the object; undefined when it may. */
export function foreignUpload({ uploader, applicant, submitter }: Binding): string | undefined {
  const up = MESH_CALLER.exec(uploader ?? '');
  // Without mutual TLS no caller is authenticated: there is no organisation to bind the upload to.
  if (!up) return undefined;
  if (applicant.kind === 'legal_entity' && applicant.identifier === up[1]) return undefined;
  if (uploader === submitter) return undefined;
  const whose = applicant.kind === 'legal_entity' ? `the applicant's organisation (BIN ${applicant.identifier})` : `the applicant (IIN ${applicant.identifier}), who has no organisation in the mesh,`;
  return `uploaded by ${uploader}: neither ${whose} nor the system submitting this application (${submitter || 'unknown'})`;
}
