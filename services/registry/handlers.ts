// RegistryService RPCs: decode, validate, read the store, encode. No SQL here.
import { EntryStatus, type Entry, type Register, type RegistryServiceServer } from '../../gen/ruqsat/registry/v1/registry.ts';
import { notFound } from '../kit/errors.ts';
import { unary } from '../kit/grpc/handler.ts';
import { parseName } from '../kit/names.ts';
import { listPage } from '../kit/paging.ts';
import { toParty } from '../kit/party.ts';
import type { ServiceDeps } from '../kit/service.ts';
import { ENTRY, entryName, REGISTER, registerName } from './domain/names.ts';
import { RegistryStore, type EntryRow, type RegisterRow } from './store.ts';

const STATUSES: Record<EntryRow['status'], EntryStatus> = {
  active: EntryStatus.ENTRY_STATUS_ACTIVE,
  suspended: EntryStatus.ENTRY_STATUS_SUSPENDED,
  revoked: EntryStatus.ENTRY_STATUS_REVOKED,
  expired: EntryStatus.ENTRY_STATUS_EXPIRED,
};

const toRegister = (row: RegisterRow): Register => ({
  name: registerName(row.id),
  title: row.title,
  titleKk: row.title_kk,
  sourceService: row.source_service,
  legalBasis: row.legal_basis,
});

const toEntry = (row: EntryRow): Entry => ({
  name: entryName(row.register_id, row.id),
  number: row.number,
  title: row.title,
  holder: toParty({ type: row.holder_type, identifier: row.holder_identifier, name: row.holder_name }),
  status: STATUSES[row.status],
  sourceResource: row.source_resource,
  createTime: row.created_at,
  updateTime: row.updated_at,
});

export function registryHandlers({ db, logger }: ServiceDeps): RegistryServiceServer {
  const store = new RegistryStore(db);
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
  };
}
