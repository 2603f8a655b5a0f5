// The files of a directory as a deposit declares them: relative "/"-separated paths in the Merkle tree's order.
// `deposit upload` and `deposit verify` walk a directory the same way, so a directory verifies as it was uploaded.
import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { byPath, pathProblem } from '../../services/deposit/domain/manifest.ts';
import { UsageError } from '../cli.ts';

export interface TreeFile {
  /** The path in the deposit, relative to the directory. */
  path: string;
  /** Where the bytes are read from (a symbolic link's target). */
  file: string;
  size: number;
  mtimeMs: number;
}

/**
 * Every regular file under `root`, sorted by the bytes of its UTF-8 path. A symbolic link to a file inside `root` is
 * deposited under the link's path with its target's content; one that leaves `root` is refused (it would deposit
 * what is not in the directory). Links to directories (they may loop) and other special files are skipped, named
 * in `skipped`.
 */
export function walkDirectory(root: string, skipped: string[] = []): TreeFile[] {
  if (!statSync(root, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`${root} is not a directory`);
  const top = realpathSync(root);
  const out: TreeFile[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(top, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      const problem = pathProblem(path);
      if (problem) throw new UsageError(`${path}: the path ${problem}; a deposit cannot declare it`);
      const at = join(top, path);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) out.push(fileAt(path, at));
      else if (entry.isSymbolicLink()) {
        let target: string;
        try {
          target = realpathSync(at);
        } catch {
          throw new UsageError(`${path} is a symbolic link to nothing (dangling)`);
        }
        const inside = relative(top, target);
        if (inside === '..' || inside.startsWith('..' + sep) || isAbsolute(inside)) {
          throw new UsageError(`${path} is a symbolic link to ${target}, outside ${root}: refused (copy the file in, or remove the link)`);
        }
        if (lstatSync(target).isFile()) out.push(fileAt(path, target));
        else skipped.push(path);
      } else skipped.push(path);
    }
  };
  walk('');
  return out.sort(byPath);
}

function fileAt(path: string, file: string): TreeFile {
  const s = statSync(file);
  return { path, file, size: s.size, mtimeMs: s.mtimeMs };
}
