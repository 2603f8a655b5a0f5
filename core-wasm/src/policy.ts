// Certificate policy processing (RFC 5280 §6.1.2 (a)/(d)-(f), §6.1.4 (a),(b),(h)-(j), §6.1.5 (a),(b),(g)):
// the valid_policy_tree with mappings, requireExplicitPolicy, inhibitPolicyMapping and inhibitAnyPolicy.
import { OID } from './oid.ts';
import type { Certificate } from './x509.ts';

interface PolicyNode {
  valid: string;
  expected: Set<string>;
  parent: PolicyNode | null;
  children: PolicyNode[];
}

export interface PolicyInputs {
  /** user-initial-policy-set; empty means anyPolicy. */
  required: readonly string[];
  /** initial-explicit-policy: the path must end with an acceptable policy. */
  explicit: boolean;
}

const ANY = OID.anyPolicy;

function child(parent: PolicyNode, valid: string, expected: Set<string>): PolicyNode {
  const n: PolicyNode = { valid, expected, parent, children: [] };
  parent.children.push(n);
  return n;
}

/** Removes nodes above `depth` that lost all children; returns the new level list or null for an empty tree. */
function prune(levels: PolicyNode[][], depth: number): PolicyNode[][] | null {
  for (let d = depth - 1; d >= 0; d--) {
    for (const n of levels[d]) {
      if (n.children.length === 0) n.parent?.children.splice(n.parent.children.indexOf(n), 1);
    }
    levels[d] = levels[d].filter((n) => n.children.length > 0);
  }
  return levels[0].length ? levels : null;
}

/**
 * §6.1.5 (g)(iii): a leaf-level node survives the intersection with the user's set when the node where its
 * branch leaves anyPolicy (named in the anchor's domain, before any mapping) is a policy the user accepts.
 */
function survives(node: PolicyNode, required: readonly string[]): boolean {
  if (required.length === 0 || required.includes(ANY)) return true;
  for (let x: PolicyNode = node; x.parent; x = x.parent) {
    if (x.parent.valid === ANY && x.valid !== ANY) return required.includes(x.valid);
  }
  return true; // an all-anyPolicy branch accepts every user policy (step 3 of (g)(iii))
}

/**
 * Processes certs in path order (index 0 = issued by the anchor, last = leaf). Returns null when the path
 * satisfies policy, else the reason.
 */
export function processPolicies(certs: readonly Certificate[], input: PolicyInputs): string | null {
  const n = certs.length;
  const root: PolicyNode = { valid: ANY, expected: new Set([ANY]), parent: null, children: [] };
  let levels: PolicyNode[][] | null = [[root]];
  let explicit = input.explicit ? 0 : n + 1;
  let inhibitAny = n + 1;
  let mapping = n + 1;

  for (let i = 1; i <= n; i++) {
    const c = certs[i - 1];
    const policies = c.policies;
    if (levels && policies) {
      const prev = levels[i - 1];
      const level: PolicyNode[] = [];
      for (const p of policies) {
        if (p.oid === ANY) continue;
        const matches = prev.filter((node) => node.expected.has(p.oid));
        if (matches.length) for (const m of matches) level.push(child(m, p.oid, new Set([p.oid])));
        else for (const m of prev.filter((node) => node.valid === ANY)) level.push(child(m, p.oid, new Set([p.oid])));
      }
      if (policies.some((p) => p.oid === ANY) && (inhibitAny > 0 || (i < n && c.selfIssued))) {
        for (const node of prev) {
          for (const e of node.expected) if (!node.children.some((k) => k.valid === e)) level.push(child(node, e, new Set([e])));
        }
      }
      levels.push(level);
      levels = prune(levels, i);
    } else {
      levels = null;
    }
    if (explicit <= 0 && !levels) return `no valid policy at ${c.subject.text}`;
    if (i === n) break;

    // Preparation for the next certificate (§6.1.4).
    for (const [from, to] of c.policyMappings ?? []) {
      if (from === ANY || to === ANY) return `${c.subject.text}: policy mapping to or from anyPolicy`;
    }
    if (levels && c.policyMappings?.length) {
      const mapped = new Map<string, Set<string>>();
      for (const [from, to] of c.policyMappings) mapped.set(from, (mapped.get(from) ?? new Set()).add(to));
      const level = levels[i];
      if (mapping > 0) {
        for (const [from, to] of mapped) {
          const hits = level.filter((node) => node.valid === from);
          if (hits.length) for (const h of hits) h.expected = new Set(to);
          else {
            const any = level.find((node) => node.valid === ANY);
            if (any) level.push(child(any.parent!, from, new Set(to)));
          }
        }
      } else {
        for (const node of level.filter((x) => mapped.has(x.valid))) node.parent?.children.splice(node.parent.children.indexOf(node), 1);
        levels[i] = level.filter((x) => !mapped.has(x.valid));
        levels = levels[i].length ? prune(levels, i) : null;
      }
    }
    if (!c.selfIssued) {
      if (explicit > 0) explicit--;
      if (mapping > 0) mapping--;
      if (inhibitAny > 0) inhibitAny--;
    }
    const pc = c.policyConstraints;
    if (pc?.requireExplicitPolicy !== undefined) explicit = Math.min(explicit, pc.requireExplicitPolicy);
    if (pc?.inhibitPolicyMapping !== undefined) mapping = Math.min(mapping, pc.inhibitPolicyMapping);
    if (c.inhibitAnyPolicy !== undefined) inhibitAny = Math.min(inhibitAny, c.inhibitAnyPolicy);
  }

  // Wrap-up (§6.1.5).
  const leaf = certs[n - 1];
  if (explicit > 0) explicit--;
  if (leaf?.policyConstraints?.requireExplicitPolicy === 0) explicit = 0;
  const acceptable = n === 0 ? input.required.length === 0 : levels !== null && levels[n].some((x) => survives(x, input.required));
  if (explicit <= 0 && !acceptable) return input.required.length ? `none of ${input.required.join(', ')} is valid for the path` : 'the path requires an explicit policy and has none';
  return null;
}
