// AIP-122 resource names: "authorities/nca/certificates/1f2e" ⇄ { authority: 'nca', certificate: '1f2e' }.
import { invalidArgument } from './errors.ts';

const ID = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/**
 * Parses `name` against a pattern such as "permits/{permit}"; every variable must be a valid id,
 * or "-" where `wildcard` allows it (AIP-159). Throws INVALID_ARGUMENT naming `field`.
 */
export function parseName(name: string, pattern: string, field: string, wildcard = false): Record<string, string> {
  const want = pattern.split('/');
  const got = name.split('/');
  const out: Record<string, string> = {};
  const bad = () => invalidArgument([{ field, description: `must look like "${pattern}", got "${name.slice(0, 200)}"` }]);
  if (name === '') throw invalidArgument([{ field, description: 'is required' }]);
  if (got.length !== want.length) throw bad();
  want.forEach((segment, i) => {
    const value = got[i] as string;
    const variable = /^\{(\w+)\}$/.exec(segment)?.[1];
    if (!variable) {
      if (value !== segment) throw bad();
    } else if (ID.test(value) || (wildcard && value === '-')) {
      out[variable] = value;
    } else {
      throw bad();
    }
  });
  return out;
}
