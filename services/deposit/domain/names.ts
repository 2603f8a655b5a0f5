// Resource names of the deposit service (AIP-122).
export const DEPOSIT = 'deposits/{deposit}';
export const depositName = (id: string) => `deposits/${id}`;
export const OBJECT = 'objects/{object}';
export const objectName = (id: string) => `objects/${id}`;
