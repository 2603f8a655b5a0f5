// PermitService RPCs: decode, validate, read the store, encode. No SQL here.
import { MovementType, PermitStatus, type Permit, type PermitServiceServer } from '../../gen/ruqsat/permit/v1/permit.ts';
import { notFound } from '../kit/errors.ts';
import { unary } from '../kit/grpc/handler.ts';
import { parseName } from '../kit/names.ts';
import { listPage } from '../kit/paging.ts';
import { identifierFilter, toParty } from '../kit/party.ts';
import type { ServiceDeps } from '../kit/service.ts';
import { PERMIT, permitName } from './domain/names.ts';
import { PermitStore, type PermitRow, type PermitWithGoods } from './store.ts';

const STATUSES: Record<PermitRow['status'], PermitStatus> = {
  valid: PermitStatus.PERMIT_STATUS_VALID,
  suspended: PermitStatus.PERMIT_STATUS_SUSPENDED,
  revoked: PermitStatus.PERMIT_STATUS_REVOKED,
  exhausted: PermitStatus.PERMIT_STATUS_EXHAUSTED,
};

const MOVEMENTS: Record<string, MovementType> = {
  import: MovementType.MOVEMENT_TYPE_IMPORT,
  export: MovementType.MOVEMENT_TYPE_EXPORT,
  transit: MovementType.MOVEMENT_TYPE_TRANSIT,
};

const toPermit = (row: PermitWithGoods): Permit => ({
  name: permitName(row.id),
  number: row.number,
  kind: row.kind,
  holder: toParty({ type: row.holder_type, identifier: row.holder_identifier, name: row.holder_name }),
  movementType: (row.movement_type && MOVEMENTS[row.movement_type]) || MovementType.MOVEMENT_TYPE_UNSPECIFIED,
  status: STATUSES[row.status],
  validFrom: row.valid_from,
  validUntil: row.valid_until,
  goods: row.goods.map((g) => ({
    description: g.description,
    hsCode: g.hs_code,
    quantity: Number(g.quantity),
    remainingQuantity: Number(g.remaining_quantity),
    unit: g.unit,
    manufacturer: g.manufacturer,
    originCountry: g.origin_country,
    destinationCountry: g.destination_country,
  })),
});

export function permitHandlers({ db, logger }: ServiceDeps): PermitServiceServer {
  const store = new PermitStore(db);
  return {
    getPermit: unary(logger, async (req) => {
      const { permit } = parseName(req.name, PERMIT, 'name');
      const row = await store.permit(permit!);
      if (!row) throw notFound(req.name);
      return toPermit(row);
    }),

    listPermits: unary(logger, async (req) => {
      const holder = identifierFilter(req.holderIdentifier, 'holder_identifier');
      const query = { rpc: 'ListPermits', holder };
      const page = await listPage(req, query, (limit, before) => store.permits(holder, limit, before), toPermit);
      return { permits: page.items, nextPageToken: page.nextPageToken };
    }),
  };
}
