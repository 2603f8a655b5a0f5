// A service's own copy of the national PKI: trust anchors, CA certificates and CRLs from the trust
// service, kept current by its revocation feed, so signatures verify in-process with the core.
import * as grpc from '@grpc/grpc-js';
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { parseCertificate, TrustStore as Core, type Certificate } from '../../core-wasm/src/index.ts';
import type { Crl, ListAuthoritiesResponse, ListTrustAnchorsResponse, RevocationEvent, TrustServiceClient } from '../../gen/ruqsat/trust/v1/trust.ts';

type Client = InstanceType<typeof TrustServiceClient>;

const ask = <Res>(start: (done: (err: grpc.ServiceError | null, res: Res) => void) => unknown) =>
  new Promise<Res>((resolve, reject) => start((err, res) => (err ? reject(err) : resolve(res))));

// Well inside the shortest CRL lifetime in the PKI (a delta's hour), and a handful of calls per round.
const REFRESH_MS = 5 * 60_000;

export class TrustFollower {
  readonly core = new Core();
  private caCertificates: Certificate[] = [];
  private anchorCertificates: Certificate[] = [];
  private lastSequence = 0;
  private seenCrls = new Set<string>();
  private stream?: grpc.ClientReadableStream<RevocationEvent>;
  private stopped = false;
  private retry?: NodeJS.Timeout;
  private loaded = false;
  private anchorNames = new Set<string>();
  private refresher?: NodeJS.Timeout;

  constructor(
    private readonly client: Client,
    private readonly logger: Logger,
    private readonly refreshMs = REFRESH_MS,
  ) {}

  /**
   * Loads anchors, CA certificates and current CRLs, then follows the feed (reconnecting on its own), and re-reads
   * CA certificates and CRLs every `refreshMs`: a re-issued CRL that lists nothing new travels on no feed event.
   */
  async start(): Promise<void> {
    const { anchors } = await ask<ListTrustAnchorsResponse>((done) => this.client.listTrustAnchors({}, done));
    for (const a of anchors) this.core.addAnchor(a.certificateDer);
    this.anchorCertificates = anchors.map((a) => parseCertificate(a.certificateDer));
    this.anchorNames = new Set(anchors.map((a) => a.name));
    await this.loadAuthorities();
    this.loaded = true;
    this.follow();
    if (this.stopped || this.refresher) return;
    this.refresher = setInterval(() => {
      this.loadAuthorities().catch((err: Error) => this.logger.warn({ err: err.message }, 'CRLs not re-read from the trust service; retrying on the next round'));
    }, this.refreshMs);
    this.refresher.unref();
  }

  /** CA certificates (accredited centres registered since, too) and every authority's newest full and delta CRL. */
  private async loadAuthorities(): Promise<void> {
    const { authorities } = await ask<ListAuthoritiesResponse>((done) => this.client.listAuthorities({ pageSize: 1000, pageToken: '' }, done));
    this.caCertificates = authorities.filter((a) => !this.anchorNames.has(a.name)).map((a) => parseCertificate(a.certificateDer));
    for (const a of authorities) {
      for (const delta of [false, true]) {
        // A centre that has published no CRL yet (NOT_FOUND) simply has none to load.
        const crl = await ask<Crl>((done) => this.client.getCrl({ authority: a.name, delta }, done)).catch(() => undefined);
        if (crl) this.addCrl(crl.crlDer);
      }
    }
  }

  /** True once anchors, CA certificates and CRLs are loaded: verification before that would be wrong. */
  get ready(): boolean {
    return this.loaded;
  }

  /** Keeps trying until the trust service answers: a service may well start before trust does. */
  startInBackground(): void {
    const attempt = () => {
      if (this.stopped) return;
      this.start().catch((err: Error) => {
        this.logger.warn({ err: err.message }, 'trust service not reachable yet; signatures cannot be verified until it is');
        this.retry = setTimeout(attempt, 1_000);
        this.retry.unref();
      });
    };
    attempt();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    clearInterval(this.refresher);
    this.stream?.cancel();
  }

  intermediates(): Certificate[] {
    return this.caCertificates;
  }

  /** The trust anchors (the Root CA), for a check that needs its own store (e.g. with a CRL no feed carries). */
  anchors(): Certificate[] {
    return this.anchorCertificates;
  }

  /** Sequence of the newest revocation applied; tests and health checks read it. */
  get sequence(): number {
    return this.lastSequence;
  }

  private addCrl(der: Uint8Array): void {
    const key = createHash('sha256').update(der).digest('hex');
    if (this.seenCrls.has(key)) return;
    this.seenCrls.add(key);
    this.core.addCrl(der);
  }

  private follow(): void {
    if (this.stopped) return;
    const stream = this.client.watchRevocations({ afterSequence: this.lastSequence });
    this.stream = stream;
    stream.on('data', (e: RevocationEvent) => {
      this.addCrl(e.crlDer);
      this.lastSequence = Math.max(this.lastSequence, e.sequence);
    });
    stream.on('error', (err: grpc.ServiceError) => {
      if (this.stopped || err.code === grpc.status.CANCELLED) return;
      this.logger.warn({ err: err.message }, 'revocation feed interrupted; resuming');
      this.retry = setTimeout(() => this.follow(), 500);
      this.retry.unref();
    });
  }
}
