// Applicants and holders: individuals by IIN (ЖСН), legal entities by BIN (БСН).
import { PartyType, type Party } from '../../gen/ruqsat/common/v1/common.ts';
import { invalidArgument } from './errors.ts';

export type PartyKind = 'individual' | 'legal_entity';

/** The 12th digit of an IIN or BIN is a mod-11 check digit over the first eleven. */
export function isValidIinBin(value: string): boolean {
  if (!/^\d{12}$/.test(value)) return false;
  const d = [...value].map(Number);
  const weighted = (weights: number[]) => weights.reduce((sum, w, i) => sum + w * d[i]!, 0) % 11;
  let check = weighted([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  if (check === 10) check = weighted([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]);
  return check !== 10 && check === d[11];
}

/** An optional IIN/BIN filter: empty means none; anything else must be a valid number. */
export function identifierFilter(value: string, field: string): string | undefined {
  if (value === '') return undefined;
  if (!isValidIinBin(value)) throw invalidArgument([{ field, description: 'must be a 12-digit IIN or BIN with a valid check digit' }]);
  return value;
}

export interface PartyColumns {
  type: PartyKind;
  identifier: string;
  name: string;
}

export function toParty(p: PartyColumns): Party {
  return {
    type: p.type === 'individual' ? PartyType.PARTY_TYPE_INDIVIDUAL : PartyType.PARTY_TYPE_LEGAL_ENTITY,
    identifier: p.identifier,
    displayName: p.name,
  };
}
