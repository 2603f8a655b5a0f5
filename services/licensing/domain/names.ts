// Resource names of the licensing service (AIP-122).
export const LICENSE = 'licenses/{license}';
export const licenseName = (id: string) => `licenses/${id}`;
