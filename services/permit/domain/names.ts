// Resource names of the permit service (AIP-122).
export const PERMIT = 'permits/{permit}';
export const permitName = (id: string) => `permits/${id}`;
