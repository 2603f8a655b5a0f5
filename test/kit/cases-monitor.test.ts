// The SLA monitor on a real database: lapsed pauses take their outcome, overdue cases are marked (a deposit's cover
// letter and dispatch after the result too), and two monitors scanning at once never handle one case twice.
import { expect } from 'chai';
import { randomBytes, randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { AuditLog, auditLogMigration, verifyChain } from '../../services/kit/audit.ts';
import { MemoryBus } from '../../services/kit/bus.ts';
import { caseColumns } from '../../services/kit/cases/applicant-api.ts';
import { ApplicationChanges } from '../../services/kit/cases/changes.ts';
import { caseMigrations } from '../../services/kit/cases/migrations.ts';
import { SlaMonitor } from '../../services/kit/cases/monitor.ts';
import { toCase } from '../../services/kit/cases/officials-api.ts';
import { CaseStore } from '../../services/kit/cases/store.ts';
import { openDatabase, ServiceDb, type Database } from '../../services/kit/db.ts';
import { apply, caseFromJson, DefinitionRegistry, DEPOSIT_SOFTWARE, NSC_PERMITS, PERMIT_CUSTOMS_CRYPTO, start, type CaseState } from '../../services/kit/workflow/index.ts';
import { DEPOSIT_ISSUED_ACTS } from './workflow/fixtures.ts';
import { at, ok, run } from './workflow/helpers.ts';

describe('kit/cases: the SLA monitor', function () {
  this.timeout(60_000);
  let database: Database;
  let store: CaseStore;
  let audit: AuditLog;
  const definitions = new DefinitionRegistry(NSC_PERMITS);
  const changed: string[] = [];
  const registry = new Registry();
  let monitor: SlaMonitor;

  before(async () => {
    database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, pgliteDir: 'memory://', poolMax: 10 });
    const db = new ServiceDb(database.knex, `t${randomBytes(4).toString('hex')}_cases`);
    await db.migrate([...caseMigrations, auditLogMigration]);
    store = new CaseStore(db);
    audit = new AuditLog(db);
    const changes = new ApplicationChanges(new MemoryBus(), 'permit');
    await changes.subscribe((id) => changed.push(id));
    monitor = new SlaMonitor({ service: 'permit', store, audit, changes, definitions, logger: pino({ level: 'silent' }), registry });
  });
  after(async () => {
    if (database?.kind === 'postgres') await database.knex.raw('drop schema if exists ?? cascade', [store.db.schema]);
    await database?.close();
  });

  /** A customs conclusion received Monday 6 April 2026, assigned, with samples requested on Tuesday at 10:00. */
  async function pausedCase(): Promise<string> {
    const def = PERMIT_CUSTOMS_CRYPTO;
    const s0 = start(def, at('2026-04-06T10:00'));
    const s1 = ok(apply(def, s0, { type: 'assign_executor', actor: 'head_of_licensing_department', executorId: 'exec' }, at('2026-04-06T11:00'))).state;
    const s2 = ok(apply(def, s1, { type: 'request_samples', actor: 'executor', what: 'two units of the device' }, at('2026-04-07T10:00'))).state;
    expect(s2.phase).to.equal('paused');
    return insert(s2, at('2026-04-07T10:00'));
  }

  async function insert(state: CaseState, now: Date, into = store, details: Record<string, unknown> = {}): Promise<string> {
    const columns = caseColumns(state, now, { def: state.definition.id === DEPOSIT_SOFTWARE.id ? DEPOSIT_SOFTWARE : PERMIT_CUSTOMS_CRYPTO, details });
    const id = randomUUID();
    await into.db.transaction((trx) =>
      into.insertApplication(trx, {
        id, request_id: id, request_hash: 'h', service: state.definition.id, definition_version: state.definition.version,
        applicant_type: 'legal_entity', applicant_identifier: '111240003452', applicant_name: 'Shekara Import LLP',
        status: columns.status, state: JSON.parse(columns.state) as object, next_check_at: columns.next_check_at,
        envelope: Buffer.from('{}'), details, payment_reference: '', attachments: [],
      }),
    );
    return id;
  }

  it('waits for the pause to lapse, then resumes the clock as the definition says, in the audit log', async () => {
    const id = await pausedCase();
    const row = await store.application(id);
    // 5 calendar days from Tuesday end on Sunday 12 April, so the applicant has until Monday's close.
    expect(caseFromJson(row!.state).pause!.expiresAt.getTime()).to.equal(row!.next_check_at!.getTime());

    expect(await monitor.scan(at('2026-04-13T18:00'))).to.equal(0);
    expect(await monitor.scan(at('2026-04-14T09:00'))).to.equal(1);
    const after = await store.application(id);
    const state = caseFromJson(after!.state);
    expect(state.phase).to.equal('open');
    expect(state.pauses).to.have.length(1);
    expect(after!.overdue).to.equal(false);
    // The review's deadline moved by the paused days, so the next look is when it falls due.
    expect(after!.next_check_at!.getTime()).to.be.greaterThan(at('2026-04-14T09:00').getTime());
    const history = await store.history(`applications/${id}`);
    expect(history.map((h) => h.action)).to.deep.equal(['pause_expired']);
    await new Promise((r) => setTimeout(r, 50));
    expect(changed).to.include(id);
  });

  it('marks a case overdue when its step runs past the deadline, and counts it in the gauge', async () => {
    const id = await pausedCase();
    await monitor.scan(at('2026-04-14T09:00'));
    const late = at('2026-06-01T12:00');
    expect(await monitor.scan(late)).to.be.greaterThan(0);
    expect((await store.application(id))!.overdue).to.equal(true);
    const listed = await store.applications({ maybeOverdue: late }, 100);
    expect(listed.map((r) => r.id)).to.include(id);
    const gauge = await registry.getSingleMetric('ruqsat_cases_overdue')!.get();
    expect(gauge.values.find((v) => v.labels.service === 'permit')!.value).to.be.greaterThan(0);
  });

  it('lets two monitors scan at once without handling a case twice', async () => {
    const ids = await Promise.all(Array.from({ length: 12 }, () => pausedCase()));
    const other = new SlaMonitor({ service: 'permit', store, audit, changes: new ApplicationChanges(new MemoryBus(), 'permit'), definitions, logger: pino({ level: 'silent' }) });
    const now = at('2026-04-14T09:00');
    const [a, b2] = await Promise.all([monitor.scan(now), other.scan(now)]);
    expect(a + b2).to.equal(ids.length);
    for (const id of ids) {
      const history = await store.history(`applications/${id}`);
      expect(history.map((h) => h.action), id).to.deep.equal(['pause_expired']);
    }
    expect((await verifyChain(store.db)).ok).to.equal(true);
  });

  describe("a deposit's steps after the result (cover letter, dispatch: 4 working hours each, §2.1 steps 10–11)", () => {
    let deposits: CaseStore;
    let depositMonitor: SlaMonitor;
    const depositDefinitions = new DefinitionRegistry([DEPOSIT_SOFTWARE]);
    const letterDue = at('2026-10-28T17:00'); // 4 h from the certificate's signature at 13:00

    before(async () => {
      // A schema of its own, so the gauge counts only these cases.
      const db = new ServiceDb(database.knex, `t${randomBytes(4).toString('hex')}_deposit`);
      await db.migrate([...caseMigrations, auditLogMigration]);
      deposits = new CaseStore(db);
      depositMonitor = new SlaMonitor({ service: 'deposit', store: deposits, audit: new AuditLog(db), changes: new ApplicationChanges(new MemoryBus(), 'deposit'), definitions: depositDefinitions, logger: pino({ level: 'silent' }), registry });
    });
    after(async () => {
      if (database?.kind === 'postgres') await database.knex.raw('drop schema if exists ?? cascade', [deposits.db.schema]);
    });

    /** A deposit whose certificate the Head signed on Wednesday 28 October 2026 at 13:00: the case is closed, issued. */
    function issued(): CaseState {
      const { state } = run(DEPOSIT_SOFTWARE, start(DEPOSIT_SOFTWARE, at('2026-10-08T10:00')), DEPOSIT_ISSUED_ACTS);
      expect(state).to.include({ phase: 'closed', outcome: 'issued' });
      return state;
    }
    const gauge = async () => (await registry.getSingleMetric('ruqsat_cases_overdue')!.get()).values.find((v) => v.labels.service === 'deposit')?.value ?? 0;
    /** What an after-result act leaves on the row (services/kit/cases/after-result-acts.ts writes the same columns). */
    async function record(id: string, step: 'cover_letter' | 'dispatch', when: Date) {
      const row = (await deposits.application(id))!;
      const details = { ...row.details, [step]: { completed_at: when.toISOString(), by: 'official' } };
      const { next_check_at, overdue } = caseColumns(caseFromJson(row.state), when, { def: DEPOSIT_SOFTWARE, details });
      await deposits.db.table('applications').where({ id }).update({ details: JSON.stringify(details), next_check_at, overdue });
    }

    it('marks a case overdue once its cover letter is past 4 working hours unsigned, and counts it in the gauge', async () => {
      const id = await insert(issued(), at('2026-10-28T13:00'), deposits);
      // The closed case is still watched: the monitor looks again when the letter falls due.
      expect((await deposits.application(id))!.next_check_at!.getTime()).to.equal(letterDue.getTime());
      expect(await depositMonitor.scan(at('2026-10-28T16:59'))).to.equal(0);
      expect((await deposits.application(id))!.overdue).to.equal(false);

      expect(await depositMonitor.scan(at('2026-10-28T17:01'))).to.equal(1);
      const row = (await deposits.application(id))!;
      expect(row.overdue).to.equal(true);
      // Nothing else can lapse until the Head signs: the dispatch's clock has not started.
      expect(row.next_check_at).to.equal(null);
      expect((await deposits.applications({ maybeOverdue: at('2026-10-28T17:01') }, 100)).map((r) => r.id)).to.include(id);
      expect(await gauge()).to.equal(1);
      // What ListCases shows the officials (its overdue filter keeps the cases whose own clock says so).
      expect(toCase(row, depositDefinitions, at('2026-10-28T17:01'))).to.deep.include({ currentStep: 'cover_letter', stepDueTime: letterDue, overdue: true });
      expect(toCase(row, depositDefinitions, at('2026-10-28T16:59')).overdue).to.equal(false);

      // Signed late, the letter is history; the dispatch now runs on its own clock (4 h from 09:30: 13:30).
      await record(id, 'cover_letter', at('2026-10-29T09:30'));
      const signed = (await deposits.application(id))!;
      expect(signed.overdue).to.equal(false);
      expect(signed.next_check_at!.getTime()).to.equal(at('2026-10-29T13:30').getTime());
      await depositMonitor.scan(at('2026-10-29T13:31'));
      expect((await deposits.application(id))!.overdue, 'the dispatch late').to.equal(true);
      await record(id, 'dispatch', at('2026-10-29T15:00'));
      expect(await deposits.application(id)).to.deep.include({ overdue: false, next_check_at: null });
      await depositMonitor.scan(at('2026-12-01T12:00'));
      expect(await gauge()).to.equal(0);
    });

    it('does not mark a case whose cover letter and dispatch are done in time', async () => {
      const id = await insert(issued(), at('2026-10-28T13:00'), deposits);
      await record(id, 'cover_letter', at('2026-10-28T16:00'));
      // The dispatch's 4 h from 16:00: 2.5 h to the close, 1.5 h from 09:00 next morning.
      expect((await deposits.application(id))!.next_check_at!.getTime()).to.equal(at('2026-10-29T10:30').getTime());
      await depositMonitor.scan(at('2026-10-28T17:01'));
      expect((await deposits.application(id))!.overdue).to.equal(false);
      await record(id, 'dispatch', at('2026-10-29T10:00'));
      await depositMonitor.scan(at('2026-12-01T12:00'));
      expect(await deposits.application(id)).to.deep.include({ overdue: false, next_check_at: null });
      expect(await gauge()).to.equal(0);
    });
  });
});
