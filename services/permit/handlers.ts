// PermitService register reads: decode, validate, read the store, encode. No SQL here.
import { MovementType, PermitStatus, type Permit, type PermitServiceServer } from '../../gen/ruqsat/permit/v1/permit.ts';
import { notFound } from '../kit/errors.ts';
import { unary } from '../kit/grpc/handler.ts';
import { parseName } from '../kit/names.ts';
import { listPage } from '../kit/paging.ts';
import { identifierFilter, toParty } from '../kit/party.ts';
import type { Logger } from 'pino';
import { PERMIT, permitName } from './domain/names.ts';
import type { PermitStore, PermitWithGoods } from './store.ts';

const MOVEMENTS: Record<string, MovementType> = {
  import: MovementType.MOVEMENT_TYPE_IMPORT,
  export: MovementType.MOVEMENT_TYPE_EXPORT,
  transit: MovementType.MOVEMENT_TYPE_TRANSIT,
};

/** Revoked and suspended are stored; expired and exhausted follow from the dates and the remainders. */
function statusOf(row: PermitWithGoods, now: Date): PermitStatus {
  if (row.status === 'revoked') return PermitStatus.PERMIT_STATUS_REVOKED;
  if (row.status === 'suspended') return PermitStatus.PERMIT_STATUS_SUSPENDED;
  if (now >= new Date(row.valid_until)) return PermitStatus.PERMIT_STATUS_EXPIRED;
  if (row.goods.length > 0 && row.goods.every((g) => Number(g.remaining_quantity) === 0)) return PermitStatus.PERMIT_STATUS_EXHAUSTED;
  return PermitStatus.PERMIT_STATUS_VALID;
}

export const toPermit = (row: PermitWithGoods, now = new Date()): Permit => ({
  name: permitName(row.id),
  number: row.number,
  kind: row.kind,
  holder: toParty({ type: row.holder_type, identifier: row.holder_identifier, name: row.holder_name }),
  movementType: (row.movement_type && MOVEMENTS[row.movement_type]) || MovementType.MOVEMENT_TYPE_UNSPECIFIED,
  status: statusOf(row, now),
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
  contractReference: row.contract_reference ?? '',
  issueTime: row.issued_at ?? undefined,
  signatory: row.signatory ?? '',
});

export function permitHandlers(store: PermitStore, logger: Logger): Pick<PermitServiceServer, 'getPermit' | 'listPermits' | 'getPermitDocument'> {
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
      const now = new Date();
      const page = await listPage(req, query, (limit, before) => store.permits(holder, limit, before), (row) => toPermit(row, now));
      return { permits: page.items, nextPageToken: page.nextPageToken };
    }),

    getPermitDocument: unary(logger, async (req) => {
      const { permit } = parseName(req.name, PERMIT, 'name');
      const envelope = await store.envelope({ id: permit! });
      if (!envelope) throw notFound(`${req.name} signed document`);
      return { payload: envelope.payload, signature: envelope.signature, certificateChain: envelope.certificateChain };
    }),
  };
}
