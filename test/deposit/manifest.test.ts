// Manifest validation as a pure function: the limits and the path rules.
import * as grpc from '@grpc/grpc-js';
import { expect } from 'chai';
import { pathProblem, validateManifest } from '../../services/deposit/domain/manifest.ts';
import { RuqsatError } from '../../services/kit/errors.ts';

const raw = (sizeBytes: number) => ({ uploadId: 'u1', objectType: 'program_code' as const, title: 'T', version: '1', files: [{ path: 'b.c', sizeBytes }, { path: 'a.c', sizeBytes: 1 }] });

describe('deposit manifest', () => {
  it('sorts the files by path and keeps the sizes', () => {
    expect(validateManifest(raw(5), 10).files).to.deep.equal([{ path: 'a.c', size: 1 }, { path: 'b.c', size: 5 }]);
  });

  it('refuses a file over the configured limit with RESOURCE_EXHAUSTED', () => {
    const code = (size: number, max: number) => {
      try {
        validateManifest(raw(size), max);
        return 'ok';
      } catch (err) {
        return grpc.status[(err as RuqsatError).code];
      }
    };
    expect(code(10, 10)).to.equal('ok');
    expect(code(11, 10)).to.equal('RESOURCE_EXHAUSTED');
    // Files are hashed incrementally as they arrive, so the configured limit is the only one (no 1 GiB core cap).
    expect(code(1024 ** 3, 4 * 1024 ** 3)).to.equal('ok');
    expect(code(4 * 1024 ** 3, 4 * 1024 ** 3)).to.equal('ok');
    expect(code(4 * 1024 ** 3 + 1, 4 * 1024 ** 3)).to.equal('RESOURCE_EXHAUSTED');
  });

  it('accepts relative paths only', () => {
    for (const ok of ['a', 'src/a.c', 'a..b/c', '.hidden/x']) expect(pathProblem(ok), ok).to.equal(undefined);
    for (const bad of ['', '/a', 'a/../b', '..', './a', 'a//b', 'a/', 'a\\b', 'C:/a', 'a\u0000b']) expect(pathProblem(bad), bad).to.be.a('string');
  });
});
