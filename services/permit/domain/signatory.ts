// Who may sign a permit: the holder of an authorized signatory's certificate (уәкілетті адам, A13).
import { rolePolicies } from '../../kit/cases/signers.ts';

/** The role policy OID trust's official_signatory profile puts in the certificate, under the configured arc. */
export function signatoryPolicy(env: Record<string, string | undefined> = process.env): string {
  return rolePolicies(env).official_signatory!;
}
