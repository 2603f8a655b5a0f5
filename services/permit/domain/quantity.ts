// Quantities as exact integers of millionths (the database keeps decimal(20, 6)): no float drift in a remainder.

const SCALE = 1_000_000;
const QUANTITY_TEXT = /^(0|[1-9]\d{0,13})(\.\d{1,6})?$/;
/** Largest quantity a double carries exactly to six decimals. */
export const MAX_QUANTITY = 9_000_000_000;

export const isHsCode = (v: string): boolean => /^\d{10}$/.test(v);

export const isQuantityText = (v: string): boolean => QUANTITY_TEXT.test(v) && toMicros(v) > 0n;

/** "7.500000" (as PostgreSQL returns numeric) → 7500000n. */
export function toMicros(text: string): bigint {
  const [whole, frac = ''] = text.split('.');
  return BigInt(whole!) * BigInt(SCALE) + BigInt((frac + '000000').slice(0, 6));
}

/** A double from the API → millionths, or undefined when it is not positive, too big or finer than 6 decimals. */
export function microsOfDouble(q: number): bigint | undefined {
  if (!Number.isFinite(q) || q <= 0 || q > MAX_QUANTITY) return undefined;
  const scaled = q * SCALE;
  const rounded = Math.round(scaled);
  if (rounded === 0 || Math.abs(scaled - rounded) > 1e-6 * Math.max(1, Math.abs(scaled)) * 1e-3) return undefined;
  return BigInt(rounded);
}

export const microsToNumber = (m: bigint): number => Number(m) / SCALE;

/** Millionths → decimal text for the database ("7.5"). */
export function microsToText(m: bigint): string {
  const whole = m / BigInt(SCALE);
  const frac = (m % BigInt(SCALE)).toString().padStart(6, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : `${whole}`;
}
