// The signed documents behind customs checks: their bytes in the shared cache (immutable once issued),
// and each instance's verdict on them, re-reached when the trust core's revocation feed moves.
import type { Cache } from '../kit/cache.ts';
import type { TrustFollower } from '../kit/trust-follower.ts';
import { exportSignedDocument, importSignedDocument } from '../kit/documents/export.ts';
import { verifyPermitEnvelope, type DocumentVerification } from './domain/verify.ts';
import type { PermitStore } from './store.ts';

const DOCUMENT_TTL_MS = 3_600_000;
// A verdict is re-reached at least this often, so a certificate's expiry counts within it.
const VERDICT_MAX_AGE_MS = 60_000;
const MAX_VERDICTS = 100_000;

interface Verdict {
  id: string;
  /** The revocation-feed sequence the verdict was reached at: a new revocation invalidates it. */
  sequence: number;
  at: number;
  verification: DocumentVerification;
}

const NO_DOCUMENT: DocumentVerification = { ok: false, code: 'MALFORMED', detail: 'NO_DOCUMENT', message: 'the permit has no signed document', chain: [], json: '' };

export class PermitDocuments {
  private readonly verdicts = new Map<string, Verdict>();

  constructor(
    private readonly store: PermitStore,
    private readonly cache: Cache,
    private readonly trust: TrustFollower,
    private readonly signatoryPolicy: string,
  ) {}

  /** This instance's verdict on permit `id`'s signed document, as of now. */
  async verdict(number: string, id: string): Promise<DocumentVerification> {
    const held = this.verdicts.get(number);
    const now = Date.now();
    if (held && held.id === id && held.sequence === this.trust.sequence && now - held.at < VERDICT_MAX_AGE_MS) return held.verification;
    const sequence = this.trust.sequence;
    const envelope = await this.document(id);
    const verification = envelope ? this.verify(envelope) : NO_DOCUMENT;
    if (this.verdicts.size >= MAX_VERDICTS) this.verdicts.delete(this.verdicts.keys().next().value as string);
    this.verdicts.set(number, { id, sequence, at: now, verification });
    return verification;
  }

  verify(envelope: Parameters<typeof verifyPermitEnvelope>[1], time?: Date): DocumentVerification {
    return verifyPermitEnvelope(this.trust.core, envelope, { intermediates: this.trust.intermediates(), signatoryPolicy: this.signatoryPolicy, time });
  }

  /** Drops this instance's verdict on a permit that changed. */
  forget(number: string): void {
    this.verdicts.delete(number);
  }

  private async document(id: string) {
    const key = `permit-document:${id}`;
    const cached = await this.cache.get(key).catch(() => undefined);
    if (cached) return importSignedDocument(cached);
    const envelope = await this.store.envelope({ id });
    if (envelope) await this.cache.set(key, exportSignedDocument(envelope), DOCUMENT_TTL_MS).catch(() => undefined);
    return envelope;
  }
}
