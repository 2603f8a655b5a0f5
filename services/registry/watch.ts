// WatchRegister: the changes after the caller's cursor from the database, then each new one as the bus announces it.
import type * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { Entry, type EntryChange, type WatchRegisterRequest } from '../../gen/ruqsat/registry/v1/registry.ts';
import { invalidArgument, notFound, toRuqsatError, toServiceError } from '../kit/errors.ts';
import { parseName } from '../kit/names.ts';
import type { EntryChanges } from './changes.ts';
import { REGISTER } from './domain/names.ts';
import type { ChangeRow, RegistryStore } from './store.ts';

const PAGE = 500;
// A missed bus message (Redis down, a restart) is caught up by this poll.
const POLL_MS = 5_000;

const toChange = (row: ChangeRow): EntryChange => ({
  sequence: Number(row.seq),
  entry: Entry.decode(row.entry),
  changeTime: row.at,
  created: row.created,
});

export function watchRegister(store: RegistryStore, changes: EntryChanges, logger: Logger) {
  return (call: grpc.ServerWritableStream<WatchRegisterRequest, EntryChange>): void => {
    const fail = (err: unknown) => {
      const error = toRuqsatError(err);
      if (error.code === 13) logger.error({ err }, 'WatchRegister failed');
      call.emit('error', toServiceError(error));
    };
    let registerId: string | undefined;
    try {
      const { register } = parseName(call.request.parent, REGISTER, 'parent', true);
      registerId = register === '-' ? undefined : register;
      if (!Number.isSafeInteger(call.request.afterSequence) || call.request.afterSequence < 0) {
        throw invalidArgument([{ field: 'after_sequence', description: 'must be zero or a sequence already seen' }]);
      }
    } catch (err) {
      return fail(err);
    }
    let last = String(call.request.afterSequence);
    let ended = false;
    let running = false;
    let again = false;
    let unsubscribe: (() => Promise<void>) | undefined;
    const timer = setInterval(() => wake(), POLL_MS);
    const end = () => {
      ended = true;
      clearInterval(timer);
      void unsubscribe?.();
    };
    call.on('cancelled', end);
    call.on('close', end);
    call.on('error', end);

    // One reader at a time; a wake during a read runs one more read after it, so none is lost.
    const drain = async () => {
      for (;;) {
        const rows = await store.changesAfter(last, registerId, PAGE);
        for (const row of rows) {
          if (ended) return;
          last = row.seq;
          // Respect back-pressure: a slow client does not make the server buffer the whole register.
          if (!call.write(toChange(row))) await new Promise<void>((resolve) => call.once('drain', resolve));
        }
        if (rows.length < PAGE) return;
      }
    };
    const wake = (): void => {
      if (ended) return;
      if (running) {
        again = true;
        return;
      }
      running = true;
      drain()
        .then(() => {
          running = false;
          if (again) {
            again = false;
            wake();
          }
        })
        .catch((err: unknown) => {
          end();
          fail(err);
        });
    };

    // Subscribe first, then read: a change committed in between is read, not missed.
    (async () => {
      if (registerId !== undefined && !(await store.register(registerId))) throw notFound(call.request.parent);
      unsubscribe = await changes.subscribe(() => wake());
      if (ended) void unsubscribe();
      wake();
    })().catch((err: unknown) => {
      end();
      fail(err);
    });
  };
}
