// Valid IINs/BINs for fixtures: eleven digits and the mod-11 check digit that makes them valid.
import { isValidIinBin } from '../../services/kit/party.ts';

export function withCheckDigit(eleven: string): string {
  for (let d = 0; d <= 9; d++) if (isValidIinBin(eleven + d)) return eleven + d;
  throw new Error(`${eleven} has no valid check digit; pick another`);
}
