// Signed objects (certificates, CRLs: SEQUENCE { tbs, signatureAlgorithm, BIT STRING }). The core locates
// exactly the bytes its parser accepted and asks the host to check the signature: big-number arithmetic is
// the host's (native OpenSSL through node:crypto, or a portable backend), never WebAssembly's.
import { readHeader, hTag, hContent, hLen } from './der';
import { E_STRUCTURE } from './x509';

// Returns 0 OK, 1 bad signature, 2 unsupported algorithm (see SignatureResult in src/signature.ts).
@external("host", "verifySignature")
declare function hostVerify(alg: usize, algLen: u32, spki: usize, spkiLen: u32, msg: usize, msgLen: u32, sig: usize, sigLen: u32): i32;

// Verifies the signed object at [p, p+len) with the SubjectPublicKeyInfo at [spki, spki+spkiLen).
// Returns the host's result (0..2) or -code when the object is not a well-formed signed structure.
export function verifySigned(p: usize, len: u32, spki: usize, spkiLen: u32): i32 {
  const end = p + <usize>len;
  let rc = readHeader(p, end);
  if (rc != 0) return -rc;
  if (hTag != 0x30 || hContent + <usize>hLen != end) return -E_STRUCTURE;
  const tbs = hContent;
  rc = readHeader(tbs, end);
  if (rc != 0) return -rc;
  if (hTag != 0x30) return -E_STRUCTURE;
  const alg = hContent + <usize>hLen;
  rc = readHeader(alg, end);
  if (rc != 0) return -rc;
  if (hTag != 0x30) return -E_STRUCTURE;
  const bits = hContent + <usize>hLen;
  rc = readHeader(bits, end);
  if (rc != 0) return -rc;
  if (hTag != 0x03 || hLen == 0 || load<u8>(hContent) != 0 || hContent + <usize>hLen != end) return -E_STRUCTURE;
  return hostVerify(alg, <u32>(bits - alg), spki, spkiLen, tbs, <u32>(alg - tbs), hContent + 1, hLen - 1);
}
