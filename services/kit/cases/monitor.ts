// The SLA monitor: finds cases whose next deadline has come, lets lapsed pauses take their outcome, marks what is
// overdue (a definition's afterResult steps included, after the case closed on its result). Rows are claimed with
// FOR UPDATE SKIP LOCKED, so every instance may run it without a leader.
import type { Logger } from 'pino';
import { Gauge, type Registry } from 'prom-client';
import type { AuditLog } from '../audit.ts';
import { apply, caseFromJson, type DefinitionRegistry } from '../workflow/index.ts';
import { auditOf, caseColumns } from './applicant-api.ts';
import type { ApplicationChanges } from './changes.ts';
import type { CaseStore } from './store.ts';

const BATCH = 100;

export interface MonitorDeps {
  service: string;
  store: CaseStore;
  audit: AuditLog;
  changes: ApplicationChanges;
  definitions: DefinitionRegistry;
  logger: Logger;
  registry?: Registry;
}

export class SlaMonitor {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private readonly gauge?: Gauge;

  constructor(private readonly deps: MonitorDeps) {
    const name = 'ruqsat_cases_overdue';
    if (deps.registry) {
      // One gauge per process registry, labelled by service, even when several services share the process.
      this.gauge = (deps.registry.getSingleMetric(name) as Gauge | undefined) ?? new Gauge({ name, help: 'Cases with a step (one after the result included), the service term or an applicant pause past its deadline', labelNames: ['service'], registers: [deps.registry] });
    }
  }

  start(intervalMs: number): void {
    const tick = () => {
      this.running = this.scan().catch((err: Error) => this.deps.logger.warn({ err: err.message }, 'SLA scan failed; retried at the next tick'));
    };
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
    tick();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass over every case whose next check is due; returns how many it looked at. */
  async scan(now = new Date()): Promise<number> {
    const { store, audit, definitions, changes, service } = this.deps;
    let seen = 0;
    for (;;) {
      const touched = await store.db.transaction(async (trx) => {
        const rows = await store.dueForCheck(trx, now, BATCH);
        for (const row of rows) {
          let state = caseFromJson(row.state);
          const def = definitions.get(row.service, row.definition_version);
          // A pause the applicant let lapse takes the definition's outcome (resume, or a refusal ground).
          if (state.phase === 'paused' && state.pause && state.pause.expiresAt.getTime() <= now.getTime()) {
            const result = apply(def, state, { type: 'pause_expired', actor: 'system' }, now);
            if (!result.ok) {
              // Should not happen; never spin on the row: leave it for an official and say so.
              this.deps.logger.error({ application: row.id, err: result.error.message }, 'pause_expired refused by the engine');
              await store.updateCase(trx, row.id, { ...caseColumns(state, now), next_check_at: null });
              continue;
            }
            state = result.state;
            await audit.append(trx, auditOf(row.id, result.audit, 'system (SLA monitor)'));
          }
          // A closed case is looked at for its afterResult steps (a cover letter, a dispatch) as an open one for its steps.
          const columns = caseColumns(state, now, { def, details: row.details });
          // Nothing left to wait for on this row until an act moves it: leave next_check_at null.
          await store.updateCase(trx, row.id, columns);
        }
        return rows.map((r) => r.id);
      });
      seen += touched.length;
      for (const id of touched) await changes.changed(id);
      if (touched.length < BATCH) break;
    }
    this.gauge?.set({ service }, await store.countOverdue());
    return seen;
  }
}
