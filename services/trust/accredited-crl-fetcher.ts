// Trust fetches each active accredited centre's CRL from the distribution points it registered, on a schedule.
import type { Logger } from 'pino';
import { RuqsatError } from '../kit/errors.ts';
import { Rounds } from '../kit/rounds.ts';
import type { AccreditedCrls } from './accredited-crls.ts';

// A CRL of a few million entries is tens of MB; anything beyond this is not a CRL we should hold in memory.
const MAX_CRL_BYTES = 64 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 30_000;

export class AccreditedCrlFetcher {
  private readonly rounds = new Rounds(() => this.round());

  constructor(
    private readonly crls: AccreditedCrls,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  /** Fetches now (in the background) and then every interval; a failure waits for the next round, never drops a CRL held. */
  start(): void {
    void this.tick();
    this.rounds.every(this.intervalMs);
  }

  stop(): Promise<void> {
    return this.rounds.stop();
  }

  /** One round at a time: CRLs other instances accepted into this one's core, then a fetch for every centre with distribution points. */
  tick(): Promise<void> {
    return this.rounds.run();
  }

  private async round(): Promise<void> {
    let centres;
    try {
      await this.crls.load();
      centres = await this.crls.store.withDistributionPoints();
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'accredited centres not read; fetching their CRLs on the next round');
      return;
    }
    for (const c of centres) await this.fetchOne(c.id, c.urls);
  }

  /** The first distribution point that answers with an acceptable CRL wins; the others are mirrors. */
  private async fetchOne(authorityId: string, urls: string[]): Promise<void> {
    for (const url of urls) {
      try {
        const der = await download(url);
        const r = await this.crls.accept(authorityId, der, url);
        this.logger.debug({ authority: authorityId, url, crlNumber: r.row.crl_number, unchanged: r.unchanged }, 'accredited centre CRL fetched');
        return;
      } catch (err) {
        // A revoked or expired centre is not fetched for any more: that is the end of it, not a failure.
        if (err instanceof RuqsatError && (err.reason === 'CENTRE_REVOKED' || err.reason === 'CENTRE_EXPIRED')) return;
        const reason = err instanceof RuqsatError ? err.reason : undefined;
        this.logger.warn({ authority: authorityId, url, reason, err: (err as Error).message }, 'accredited centre CRL not fetched; keeping the CRL held and retrying on the next round');
      }
    }
  }
}

async function download(url: string): Promise<Uint8Array> {
  const res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'follow' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const length = Number(res.headers.get('content-length') ?? 0);
  if (length > MAX_CRL_BYTES) throw new Error(`${length} bytes is more than a CRL may be`);
  const body = new Uint8Array(await res.arrayBuffer());
  if (body.length > MAX_CRL_BYTES) throw new Error(`${body.length} bytes is more than a CRL may be`);
  return body;
}
