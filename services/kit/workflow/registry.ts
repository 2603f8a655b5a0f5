// Definitions by (id, version): new cases take the version in force on receipt; running cases keep theirs.
import * as grpc from '@grpc/grpc-js';
import { notFound, RuqsatError } from '../errors.ts';
import type { ServiceDefinition } from './definition.ts';
import { validateDefinition } from './validate.ts';

export class DefinitionRegistry {
  private readonly byId = new Map<string, ServiceDefinition[]>();

  constructor(definitions: Iterable<ServiceDefinition> = []) {
    for (const d of definitions) this.add(d);
  }

  /** Validates and adds; a later version must come into force after the earlier ones. */
  add(def: ServiceDefinition): this {
    validateDefinition(def);
    const versions = this.byId.get(def.id) ?? [];
    if (versions.some((v) => v.version === def.version)) {
      throw new RuqsatError(grpc.status.ALREADY_EXISTS, 'DEFINITION_EXISTS', `${def.id} v${def.version} is already registered`);
    }
    const all = [...versions, def].sort((a, b) => a.version - b.version);
    for (let i = 1; i < all.length; i++) {
      if (all[i].inForce.from.getTime() <= all[i - 1].inForce.from.getTime()) {
        throw new RuqsatError(grpc.status.INVALID_ARGUMENT, 'VERSION_ORDER', `${def.id} v${all[i].version} must come into force after v${all[i - 1].version}`);
      }
    }
    this.byId.set(def.id, all);
    return this;
  }

  /** The exact version a case started under. */
  get(id: string, version: number): ServiceDefinition {
    const def = this.byId.get(id)?.find((d) => d.version === version);
    if (!def) throw notFound(`service definition ${id} v${version}`);
    return def;
  }

  /** The version in force at `at`: the latest that started by then, unless its own end date has passed. */
  resolve(id: string, at: Date): ServiceDefinition {
    const versions = this.byId.get(id);
    if (!versions) throw notFound(`service definition ${id}`);
    const t = at.getTime();
    const def = versions.filter((d) => d.inForce.from.getTime() <= t).at(-1);
    if (!def || (def.inForce.until && t >= def.inForce.until.getTime())) {
      throw new RuqsatError(grpc.status.FAILED_PRECONDITION, 'NO_DEFINITION_IN_FORCE', `no version of ${id} is in force at ${at.toISOString()}`, { id });
    }
    return def;
  }

  versions(id: string): readonly ServiceDefinition[] {
    return this.byId.get(id) ?? [];
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }
}
