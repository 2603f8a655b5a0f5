// Applicants and holders: individuals by IIN (ЖСН), legal entities by BIN (БСН).
import { PartyType, type Party } from '../../gen/ruqsat/common/v1/common.ts';
import { invalidArgument } from './errors.ts';

export type PartyKind = 'individual' | 'legal_entity';

// The check digit's two weight rounds (the second when the first gives 10); constants, as customs checks call this per declaration.
const FIRST_WEIGHTS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const SECOND_WEIGHTS = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

function weighted(value: string, weights: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < 11; i++) sum += weights[i]! * (value.charCodeAt(i) - 48);
  return sum % 11;
}

/** The 12th digit of an IIN or BIN is a mod-11 check digit over the first eleven. */
export function isValidIinBin(value: string): boolean {
  if (!/^\d{12}$/.test(value)) return false;
  let check = weighted(value, FIRST_WEIGHTS);
  if (check === 10) check = weighted(value, SECOND_WEIGHTS);
  return check !== 10 && check === value.charCodeAt(11) - 48;
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
