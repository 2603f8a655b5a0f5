// RegistryService RPCs: decode, validate, call the store, encode. No SQL here.
import { SignedEnvelope } from '../../gen/ruqsat/common/v1/common.ts';
import type { Register, RegistryServiceServer } from '../../gen/ruqsat/registry/v1/registry.ts';
import * as grpc from '@grpc/grpc-js';
import { invalidArgument, notFound, RuqsatError } from '../kit/errors.ts';
import { unary } from '../kit/grpc/handler.ts';
import { parseName } from '../kit/names.ts';
import { listPage } from '../kit/paging.ts';
import type { Logger } from 'pino';
import type { EntryChanges } from './changes.ts';
import { ENTRY, REGISTER, registerName } from './domain/names.ts';
import { validatePublish } from './domain/publish.ts';
import { encodeEntry, toEntry } from './entries.ts';
import { searchEntries } from './search.ts';
import type { RegisterRow, RegistryStore } from './store.ts';
import { watchRegister } from './watch.ts';

const toRegister = (row: RegisterRow): Register => ({
  name: registerName(row.id),
  title: row.title,
  titleKk: row.title_kk,
  sourceService: row.source_service,
  legalBasis: row.legal_basis,
});

export interface RegistryDeps {
  store: RegistryStore;
  changes: EntryChanges;
  logger: Logger;
}

/** The register RPCs; the applications' RPCs are in applications.ts. */
export type RegisterHandlers = Pick<RegistryServiceServer, 'getRegister' | 'listRegisters' | 'getEntry' | 'listEntries' | 'publishEntry' | 'searchEntries' | 'watchRegister'>;

export function registryHandlers({ store, changes, logger }: RegistryDeps): RegisterHandlers {
  return {
    getRegister: unary(logger, async (req) => {
      const { register } = parseName(req.name, REGISTER, 'name');
      const row = await store.register(register!);
      if (!row) throw notFound(req.name);
      return toRegister(row);
    }),

    listRegisters: unary(logger, async (req) => {
      const page = await listPage(req, { rpc: 'ListRegisters' }, (limit, after) => store.registers(limit, after), toRegister);
      return { registers: page.items, nextPageToken: page.nextPageToken };
    }),

    getEntry: unary(logger, async (req) => {
      const { register, entry } = parseName(req.name, ENTRY, 'name');
      const row = await store.entry(register!, entry!);
      if (!row) throw notFound(req.name);
      return toEntry(row);
    }),

    listEntries: unary(logger, async (req) => {
      const { register } = parseName(req.parent, REGISTER, 'parent', true);
      // An unknown register is NOT_FOUND, not an empty list that hides a typo.
      if (register !== '-' && !(await store.register(register!))) throw notFound(req.parent);
      const registerId = register === '-' ? undefined : register;
      const query = { rpc: 'ListEntries', parent: req.parent };
      const page = await listPage(req, query, (limit, before) => store.entries(registerId, limit, before), toEntry);
      return { entries: page.items, nextPageToken: page.nextPageToken };
    }),

    publishEntry: unary(logger, async (req, ctx) => {
      const { register } = parseName(req.register, REGISTER, 'register');
      const { input, violations } = validatePublish(req, register!);
      if (!input) throw invalidArgument(violations);
      // A service that runs alone presents its own identity (ruqsat-<service>): it publishes as itself only.
      const alone = /^\d{12}\/ruqsat-(\w+)$/.exec(ctx.caller)?.[1];
      if (alone && alone !== 'mesh' && alone !== 'operator' && alone !== input.sourceService) {
        throw new RuqsatError(grpc.status.PERMISSION_DENIED, 'NOT_THE_SOURCE_SERVICE', `${ctx.caller} may publish only as "${alone}", not as "${input.sourceService}"`, { caller: ctx.caller });
      }
      const target = await store.register(register!);
      if (!target) throw notFound(req.register);
      if (target.source_service !== input.sourceService) {
        throw invalidArgument([{ field: 'source_service', description: `${req.register} is fed by "${target.source_service}", not "${input.sourceService}"` }]);
      }
      const document = input.document ? Buffer.from(SignedEnvelope.encode(input.document).finish()) : null;
      const outcome = await store.publish(input, document, encodeEntry);
      if (outcome.change) await changes.committed(outcome.change.seq);
      return toEntry(outcome.row);
    }),

    searchEntries: unary(logger, async (req) => {
      const page = await searchEntries(store, req);
      return { entries: page.items, nextPageToken: page.nextPageToken };
    }),

    watchRegister: watchRegister(store, changes, logger),
  };
}
