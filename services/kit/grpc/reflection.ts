// Server reflection from the descriptor set `buf build` wrote, so buf curl and grpcurl need no schema.
import type { PackageDefinition } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { readFileSync } from 'node:fs';

const DESCRIPTOR_SET = new URL('../../../gen/ruqsat.binpb', import.meta.url);

let files: Buffer[] | undefined;

/**
 * The compiler's own bytes for each file of the set (field 1, repeated). Re-encoding them would
 * drop proto2 defaults such as LABEL_OPTIONAL that strict clients (buf curl) require, and
 * proto-loader would rename files by package and break their imports.
 */
function allFiles(): Buffer[] {
  if (files) return files;
  const set = readFileSync(DESCRIPTOR_SET);
  const out: Buffer[] = [];
  let at = 0;
  const varint = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = set[at++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  };
  while (at < set.length) {
    if (varint() !== 0x0a) throw new Error('gen/ruqsat.binpb is not a FileDescriptorSet; run npm run generate');
    const length = varint();
    out.push(set.subarray(at, at + length));
    at += length;
  }
  files = out;
  return out;
}

export function reflectionFor(serviceNames: string[]): ReflectionService {
  const definition = { [serviceNames[0]!]: { fileDescriptorProtos: allFiles() } } as unknown as PackageDefinition;
  return new ReflectionService(definition, { services: [...serviceNames, 'grpc.health.v1.Health'] });
}
