// The access-rights table: caller groups, the methods each group may call, and per-caller rate limits.
import { readFileSync } from 'node:fs';
import { ConfigError } from '../config.ts';

export interface DemoSystem {
  system: string;
  bin: string;
  organization: string;
}

export interface RightsFile {
  version: 1;
  groups: Record<string, string[]>;
  rights: { service: string; methods: string[]; allow: string[] }[];
  rateLimits?: Record<string, { perSecond: number } | null>;
  demo?: DemoSystem[];
}

export interface Decision {
  allowed: boolean;
  groups: string[];
  /** Calls per second this caller may make; undefined: no limit. */
  perSecond?: number;
}

/** "a*b" → /^a[^/]*b$/: a glob never crosses the "/" between BIN and system, or service and method. */
function glob(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`);
}

export class AccessRights {
  private readonly groups: [string, RegExp[]][];
  private readonly rights: { path: RegExp; allow: Set<string> }[];
  private readonly limits: [string, number | undefined][];
  private readonly decisions = new Map<string, Decision>();

  constructor(readonly file: RightsFile) {
    this.groups = Object.entries(file.groups).map(([name, members]) => [name, members.map(glob)]);
    this.rights = file.rights.flatMap((r) => r.methods.map((m) => ({ path: glob(`${r.service}/${m}`), allow: new Set(r.allow) })));
    this.limits = Object.entries(file.rateLimits ?? {}).map(([group, limit]) => [group, limit?.perSecond]);
  }

  /** Groups a caller ("BIN/system") belongs to, in the file's order. */
  groupsOf(caller: string): string[] {
    return this.groups.filter(([, members]) => members.some((re) => re.test(caller))).map(([name]) => name);
  }

  /** May `caller` call "/package.Service/Method"? Decisions are memoized: the table does not change while it runs. */
  decide(caller: string, path: string): Decision {
    const key = `${caller} ${path}`;
    const known = this.decisions.get(key);
    if (known) return known;
    const groups = this.groupsOf(caller);
    const target = path.replace(/^\//, '');
    const allowed = this.rights.some((r) => r.path.test(target) && groups.some((g) => r.allow.has(g)));
    const limit = this.limits.find(([group]) => groups.includes(group));
    const decision = { allowed, groups, perSecond: limit?.[1] };
    if (this.decisions.size > 50_000) this.decisions.clear();
    this.decisions.set(key, decision);
    return decision;
  }
}

/** Reads and checks the table; a malformed one stops the process naming the variable. */
export function loadAccessRights(path: string): AccessRights {
  let file: RightsFile;
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as RightsFile;
  } catch (err) {
    throw new ConfigError('ACCESS_RIGHTS_FILE', `cannot read ${path}: ${(err as Error).message}`);
  }
  const problems = validate(file);
  if (problems.length) throw new ConfigError('ACCESS_RIGHTS_FILE', `${path}: ${problems.join('; ')}`);
  return new AccessRights(file);
}

function validate(file: RightsFile): string[] {
  const out: string[] = [];
  if (file?.version !== 1) return ['version must be 1'];
  const groups = new Set(Object.keys(file.groups ?? {}));
  for (const [name, members] of Object.entries(file.groups ?? {}))
    for (const m of Array.isArray(members) ? members : [undefined])
      if (typeof m !== 'string' || !/^[0-9*]+\/[a-z0-9*-]+$/.test(m)) out.push(`group ${name}: member ${JSON.stringify(m)} is not "BIN/system"`);
  for (const [i, r] of (file.rights ?? []).entries()) {
    if (typeof r.service !== 'string' || !Array.isArray(r.methods) || !Array.isArray(r.allow)) out.push(`rights[${i}]: needs service, methods[], allow[]`);
    else for (const g of r.allow) if (!groups.has(g)) out.push(`rights[${i}]: unknown group "${g}"`);
  }
  for (const [g, limit] of Object.entries(file.rateLimits ?? {})) {
    if (!groups.has(g)) out.push(`rateLimits: unknown group "${g}"`);
    if (limit !== null && !(Number.isInteger(limit?.perSecond) && limit.perSecond > 0)) out.push(`rateLimits.${g}: perSecond must be a positive integer or the limit null`);
  }
  for (const d of file.demo ?? []) if (!/^[0-9]{12}$/.test(d.bin) || !/^[a-z0-9][a-z0-9-]*$/.test(d.system)) out.push(`demo: ${JSON.stringify(d)} needs a 12-digit bin and a system name`);
  return out;
}
