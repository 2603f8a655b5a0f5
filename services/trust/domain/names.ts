// Resource names of the trust service (AIP-122).
export const AUTHORITY = 'authorities/{authority}';
export const CERTIFICATE = 'authorities/{authority}/certificates/{certificate}';

export const authorityName = (id: string) => `authorities/${id}`;
export const certificateName = (authorityId: string, serial: string) => `authorities/${authorityId}/certificates/${serial}`;

/** Serial numbers in names are lowercase hex without leading zeros, as the store keeps them. */
export function normalizeSerial(serial: string): string | undefined {
  if (!/^[0-9a-fA-F]{1,64}$/.test(serial)) return undefined;
  return serial.toLowerCase().replace(/^0+(?=.)/, '');
}
