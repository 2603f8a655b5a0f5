// The reference registry of individuals and legal entities (ЖТ МДҚ / ЗТ МДҚ), behind an interface:
// a table loaded from a fixture in demo mode, the state databases' gateway in production.
import { readFileSync } from 'node:fs';
import type { Organization, Person } from './domain/subject.ts';
import type { ReferencePartyRow, RegistrationStore } from './registration-store.ts';

export interface ReferenceRegistry {
  person(iin: string): Promise<Person | undefined>;
  organization(bin: string): Promise<Organization | undefined>;
}

export class TableReferenceRegistry implements ReferenceRegistry {
  constructor(private readonly store: RegistrationStore) {}

  async person(iin: string): Promise<Person | undefined> {
    const row = await this.store.referenceParty(iin);
    if (row?.type !== 'individual') return undefined;
    return { iin, surname: row.surname ?? '', givenName: row.given_name ?? '', patronymic: row.patronymic ?? undefined };
  }

  async organization(bin: string): Promise<Organization | undefined> {
    const row = await this.store.referenceParty(bin);
    return row?.type === 'legal_entity' ? { bin, name: row.name } : undefined;
  }
}

export const DEMO_FIXTURE = new URL('./fixtures/reference-registry.json', import.meta.url);

export function readFixture(url: URL = DEMO_FIXTURE): ReferencePartyRow[] {
  return JSON.parse(readFileSync(url, 'utf8')) as ReferencePartyRow[];
}
