// Resource names of the registry service (AIP-122).
export const REGISTER = 'registers/{register}';
export const ENTRY = 'registers/{register}/entries/{entry}';
export const registerName = (id: string) => `registers/${id}`;
export const entryName = (registerId: string, id: string) => `registers/${registerId}/entries/${id}`;
