// толымдылық (completeness) and сәйкестік (conformity) of a deposit object to its application, computed
// when the object is stored; the lead specialist's finding (regulation step 6, 7 WD) starts from them.
import type { ObjectType } from '../store.ts';
import type { DeclaredFile } from './manifest.ts';

export interface ArrivedFile {
  path: string;
  /** Bytes that arrived and were stored; a file only partly sent at `finish` is not stored. */
  size: number;
  stored: boolean;
}

export interface CheckResult {
  complete: boolean;
  conformant: boolean;
  findings: string[];
  missingPaths: string[];
}

// What each object type must hold at least one of, by file extension [best reading: the Standard's
// para 11 list of materials is not in the regulation; these are the kinds its object types name].
const SOURCE = ['c', 'h', 'cc', 'cpp', 'cxx', 'hpp', 'cs', 'java', 'kt', 'go', 'rs', 'py', 'js', 'mjs', 'ts', 'tsx', 'jsx', 'rb', 'php', 'swift', 'm', 'scala', 'sql', 'sh', 'pas', 'vb', 'asm', 's', 'lua', 'pl', 'r', 'dart', 'erl', 'ex', 'hs', 'clj', 'f90', 'proto', '1c', 'bsl'];
const DOCUMENT = ['pdf', 'doc', 'docx', 'odt', 'rtf', 'txt', 'md', 'html', 'htm', 'xls', 'xlsx', 'ods', 'ppt', 'pptx', 'odp', 'tex', 'adoc', 'rst'];
const PROGRAM = ['exe', 'msi', 'dll', 'so', 'dylib', 'jar', 'war', 'ear', 'apk', 'ipa', 'deb', 'rpm', 'dmg', 'pkg', 'appimage', 'bin', 'iso', 'img', 'zip', 'tar', 'gz', 'tgz', 'xz', '7z', 'rar', 'wasm', 'cab'];

export const TYPE_RULES: Record<ObjectType, { needs: { kind: string; extensions: string[] }[] }> = {
  program_code: { needs: [{ kind: 'source file', extensions: SOURCE }] },
  documentation: { needs: [{ kind: 'document', extensions: DOCUMENT }] },
  software_product: { needs: [{ kind: 'program or distribution file', extensions: [...PROGRAM, ...SOURCE] }] },
  // An information system is deposited as its software with its documentation.
  information_system: { needs: [{ kind: 'program, distribution or source file', extensions: [...PROGRAM, ...SOURCE] }, { kind: 'document', extensions: DOCUMENT }] },
};

const extensionOf = (path: string) => /\.([^./]+)$/.exec(path)?.[1]?.toLowerCase() ?? '';

export function checkObject(objectType: ObjectType, declared: readonly DeclaredFile[], arrived: readonly ArrivedFile[]): CheckResult {
  const findings: string[] = [];
  const missingPaths: string[] = [];
  const byPath = new Map(arrived.map((f) => [f.path, f]));
  for (const d of declared) {
    const a = byPath.get(d.path);
    if (!a || !a.stored) {
      missingPaths.push(d.path);
      findings.push(a && a.size > 0 ? `${d.path}: ${a.size} of ${d.size} declared bytes arrived; not stored` : `${d.path}: declared, did not arrive`);
    } else if (a.size !== d.size) {
      findings.push(`${d.path}: ${a.size} bytes arrived, ${d.size} declared`);
    }
  }
  const complete = findings.length === 0;
  const stored = arrived.filter((f) => f.stored);
  let conformant = missingPaths.length === 0;
  for (const need of TYPE_RULES[objectType].needs) {
    if (!stored.some((f) => need.extensions.includes(extensionOf(f.path)))) {
      conformant = false;
      findings.push(`no ${need.kind} among the stored files, as a ${objectType.replace('_', ' ')} needs`);
    }
  }
  return { complete, conformant, findings, missingPaths };
}
