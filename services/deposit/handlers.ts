// DepositService RPCs: decode, validate, read the store, encode. No SQL here.
import { ObjectType, type Deposit, type DepositServiceServer } from '../../gen/ruqsat/deposit/v1/deposit.ts';
import { notFound } from '../kit/errors.ts';
import { unary } from '../kit/grpc/handler.ts';
import { parseName } from '../kit/names.ts';
import { listPage } from '../kit/paging.ts';
import { identifierFilter, toParty } from '../kit/party.ts';
import type { ServiceDeps } from '../kit/service.ts';
import { DEPOSIT, depositName } from './domain/names.ts';
import { DepositStore, type DepositRow } from './store.ts';

const OBJECT_TYPES: Record<DepositRow['object_type'], ObjectType> = {
  information_system: ObjectType.OBJECT_TYPE_INFORMATION_SYSTEM,
  software_product: ObjectType.OBJECT_TYPE_SOFTWARE_PRODUCT,
  program_code: ObjectType.OBJECT_TYPE_PROGRAM_CODE,
  documentation: ObjectType.OBJECT_TYPE_DOCUMENTATION,
};

const toDeposit = (row: DepositRow): Deposit => ({
  name: depositName(row.id),
  depositNumber: row.deposit_number,
  objectType: OBJECT_TYPES[row.object_type],
  title: row.title,
  version: row.version,
  depositor: toParty({ type: row.depositor_type, identifier: row.depositor_identifier, name: row.depositor_name }),
  merkleRoot: row.merkle_root,
  fileCount: Number(row.file_count),
  totalSizeBytes: Number(row.total_size_bytes),
  registrationTime: row.registered_at,
});

export function depositHandlers({ db, logger }: ServiceDeps): DepositServiceServer {
  const store = new DepositStore(db);
  return {
    getDeposit: unary(logger, async (req) => {
      const { deposit } = parseName(req.name, DEPOSIT, 'name');
      const row = await store.deposit(deposit!);
      if (!row) throw notFound(req.name);
      return toDeposit(row);
    }),

    listDeposits: unary(logger, async (req) => {
      const depositor = identifierFilter(req.depositorIdentifier, 'depositor_identifier');
      const query = { rpc: 'ListDeposits', depositor };
      const page = await listPage(req, query, (limit, before) => store.deposits(depositor, limit, before), toDeposit);
      return { deposits: page.items, nextPageToken: page.nextPageToken };
    }),
  };
}
