// Compares a set of files with a deposited object: which differ, which are missing, which are extra.
import { invalidArgument, type FieldViolation } from '../../kit/errors.ts';
import { byPath, pathProblem } from './manifest.ts';
import type { FileEntry } from './merkle.ts';

export interface SubmittedFile {
  path: string;
  sha256: Uint8Array;
  /** When given, it must match as well. */
  size?: number;
}

export interface Comparison {
  matches: boolean;
  differing: string[];
  missing: string[];
  extra: string[];
}

export function validateSubmitted(files: readonly SubmittedFile[]): void {
  const v: FieldViolation[] = [];
  const seen = new Set<string>();
  files.forEach((f, i) => {
    const problem = pathProblem(f.path);
    if (problem) v.push({ field: `files[${i}].path`, description: problem });
    else if (seen.has(f.path)) v.push({ field: `files[${i}].path`, description: `"${f.path}" is listed twice` });
    seen.add(f.path);
    if (f.sha256.length !== 32) v.push({ field: `files[${i}].sha256`, description: 'must be a 32-byte SHA-256 digest' });
    if (f.size !== undefined && (!Number.isSafeInteger(f.size) || f.size < 0)) v.push({ field: `files[${i}].size_bytes`, description: 'must be zero or more' });
  });
  if (v.length > 0) throw invalidArgument(v);
}

export function compareFiles(deposited: readonly FileEntry[], submitted: readonly SubmittedFile[]): Comparison {
  const given = new Map(submitted.map((f) => [f.path, f]));
  const differing: string[] = [];
  const missing: string[] = [];
  for (const d of [...deposited].sort(byPath)) {
    const s = given.get(d.path);
    given.delete(d.path);
    if (!s) missing.push(d.path);
    else if (!Buffer.from(s.sha256).equals(Buffer.from(d.sha256)) || (s.size !== undefined && s.size !== d.size)) differing.push(d.path);
  }
  const extra = [...given.values()].sort(byPath).map((f) => f.path);
  return { matches: differing.length + missing.length + extra.length === 0, differing, missing, extra };
}
