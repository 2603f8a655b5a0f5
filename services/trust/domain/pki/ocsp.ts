// RFC 6960 OCSP: read a request's CertIDs and nonce, answer with a BasicOCSPResponse the issuing CA signs itself.
import { createHash } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  CertID, CertStatus, id_pkix_ocsp_basic, id_pkix_ocsp_nonce, KeyHash, OCSPRequest, OCSPResponse,
  OCSPResponseStatus, ResponderID, ResponseBytes, ResponseData, RevokedInfo, SingleResponse,
} from '@peculiar/asn1-ocsp';
import { Certificate, CRLReason, Extension } from '@peculiar/asn1-x509';
import { bytes, children, der, integerFromBytes, parseExact, single, slice, tlv, toArrayBuffer, wholeSeconds } from './der.ts';
import { certificateParts } from './certificate.ts';
import { ed25519Algorithm, spkiKeyBits, type Signer } from './keys.ts';

export type OcspHash = 'sha1' | 'sha256';
const HASH_OIDS: Record<string, OcspHash> = { '1.3.14.3.2.26': 'sha1', '2.16.840.1.101.3.4.2.1': 'sha256' };

export interface OcspCertId { hashAlgorithm: OcspHash; issuerNameHash: Uint8Array; issuerKeyHash: Uint8Array; serialNumber: bigint; der: Uint8Array }

export class OcspRequestError extends Error {}

/** The CertIDs asked about and, when present, the nonce extension's extnValue contents (echoed back byte for byte). */
export function parseOcspRequest(input: Uint8Array): { certIds: OcspCertId[]; nonce?: Uint8Array } {
  let req: OCSPRequest;
  let rawCertIds: Uint8Array[];
  try {
    req = AsnConvert.parse(toArrayBuffer(input), OCSPRequest);
    // The CertID bytes are kept as received: OCSP clients match the response's CertID against their own encoding.
    const [tbs] = children(input, single(input));
    const requestList = children(input, tbs).find((t) => t.tag === 0x30)!;
    rawCertIds = children(input, requestList).map((r) => slice(input, children(input, r)[0]));
  } catch (e) {
    throw new OcspRequestError(`not an OCSP request: ${(e as Error).message}`);
  }
  const list = req.tbsRequest.requestList;
  if (list.length === 0 || list.length !== rawCertIds.length) throw new OcspRequestError('an OCSP request needs at least one CertID');
  const certIds = list.map(({ reqCert }, i) => {
    // Echoed verbatim later, so it must already be DER (what every OpenSSL, Java and Go client sends).
    if (!Buffer.from(der(reqCert)).equals(Buffer.from(rawCertIds[i]))) throw new OcspRequestError('CertID is not DER-encoded');
    const hashAlgorithm = HASH_OIDS[reqCert.hashAlgorithm.algorithm];
    if (!hashAlgorithm) throw new OcspRequestError(`CertID hash algorithm ${reqCert.hashAlgorithm.algorithm} is not supported (SHA-1, SHA-256)`);
    const issuerNameHash = bytes(reqCert.issuerNameHash.buffer);
    const issuerKeyHash = bytes(reqCert.issuerKeyHash.buffer);
    const size = hashAlgorithm === 'sha1' ? 20 : 32;
    if (issuerNameHash.length !== size || issuerKeyHash.length !== size) throw new OcspRequestError('CertID hash length does not fit its algorithm');
    return { hashAlgorithm, issuerNameHash, issuerKeyHash, serialNumber: integerFromBytes(reqCert.serialNumber), der: rawCertIds[i] };
  });
  const nonceExt = req.tbsRequest.requestExtensions?.find((x) => x.extnID === id_pkix_ocsp_nonce);
  const nonce = nonceExt ? bytes(nonceExt.extnValue.buffer) : undefined;
  // RFC 8954 §2.1 caps a nonce at 32 octets; the bound here is looser, only to refuse absurd echoes.
  if (nonce && (nonce.length === 0 || nonce.length > 64)) throw new OcspRequestError('OCSP nonce must be 1..64 octets');
  return { certIds, nonce };
}

export interface OcspSingle { certId: OcspCertId; status: 'good' | 'revoked' | 'unknown'; revocationTime?: Date; reason?: number; thisUpdate: Date; nextUpdate?: Date }

function singleResponse(s: OcspSingle): SingleResponse {
  let certStatus: CertStatus;
  if (s.status === 'revoked') {
    if (!s.revocationTime) throw new OcspRequestError('a revoked status needs its revocationTime');
    if (s.reason !== undefined && (!Number.isInteger(s.reason) || s.reason < 0 || s.reason > 10 || s.reason === 7 || s.reason === 8))
      throw new OcspRequestError(`revocation reason ${s.reason} is not valid in OCSP`);
    certStatus = new CertStatus({ revoked: new RevokedInfo({
      revocationTime: wholeSeconds(s.revocationTime),
      revocationReason: s.reason ? new CRLReason(s.reason) : undefined,
    }) });
  } else {
    certStatus = new CertStatus(s.status === 'good' ? { good: null } : { unknown: null });
  }
  return new SingleResponse({
    certID: parseExact(s.certId.der, CertID, 'certId.der'),
    certStatus,
    thisUpdate: wholeSeconds(s.thisUpdate),
    nextUpdate: s.nextUpdate && wholeSeconds(s.nextUpdate),
  });
}

const responseBytes = (basic: Uint8Array) =>
  der(new OCSPResponse({
    responseStatus: OCSPResponseStatus.successful,
    responseBytes: new ResponseBytes({ responseType: id_pkix_ocsp_basic, response: new OctetString(toArrayBuffer(basic)) }),
  }));

/** A successful OCSPResponse: BasicOCSPResponse signed by the issuing CA (responderID byKey), nonce echoed when given. */
export function buildOcspResponse(
  o: { responderKeyHash: Uint8Array; producedAt: Date; responses: OcspSingle[]; nonce?: Uint8Array; certificates?: Uint8Array[] },
  signer: Signer,
): Uint8Array {
  if (o.responderKeyHash.length !== 20) throw new OcspRequestError('responderKeyHash is a SHA-1 hash (20 bytes)');
  if (o.responses.length === 0) throw new OcspRequestError('an OCSP response needs at least one SingleResponse');
  const data = new ResponseData({
    responderID: new ResponderID({ byKey: new KeyHash(toArrayBuffer(o.responderKeyHash)) }),
    producedAt: wholeSeconds(o.producedAt),
    responses: o.responses.map(singleResponse),
    responseExtensions: o.nonce
      ? [new Extension({ extnID: id_pkix_ocsp_nonce, critical: false, extnValue: new OctetString(toArrayBuffer(o.nonce)) })]
      : undefined,
  });
  const tbs = der(data);
  // certs [0] EXPLICIT SEQUENCE OF Certificate, copied byte for byte after a parse check.
  const certs = (o.certificates ?? []).map((c) => (parseExact(c, Certificate, 'certificate'), c));
  const basic = tlv(0x30, tbs, der(ed25519Algorithm()), tlv(0x03, new Uint8Array([0]), signer.sign(tbs)),
    ...(certs.length ? [tlv(0xa0, tlv(0x30, ...certs))] : []));
  return responseBytes(basic);
}

/** An unsuccessful OCSPResponse: only the status, no responseBytes (RFC 6960 §2.3). */
export function ocspError(status: 'malformedRequest' | 'internalError' | 'tryLater' | 'unauthorized'): Uint8Array {
  return der(new OCSPResponse({ responseStatus: OCSPResponseStatus[status] }));
}

/** For matching a CertID: hashes of the issuer's subject Name DER and of its subjectPublicKey BIT STRING contents. */
export function issuerHashes(issuerCertDer: Uint8Array, alg: OcspHash): { nameHash: Uint8Array; keyHash: Uint8Array } {
  const parts = certificateParts(issuerCertDer);
  const h = (b: Uint8Array) => new Uint8Array(createHash(alg).update(b).digest());
  return { nameHash: h(parts.subject), keyHash: h(spkiKeyBits(parts.subjectPublicKeyInfo)) };
}

/** True when the CertID names a certificate issued by this issuer (serial not checked). */
export function certIdMatchesIssuer(certId: OcspCertId, issuerCertDer: Uint8Array): boolean {
  const { nameHash, keyHash } = issuerHashes(issuerCertDer, certId.hashAlgorithm);
  return Buffer.from(nameHash).equals(Buffer.from(certId.issuerNameHash)) && Buffer.from(keyHash).equals(Buffer.from(certId.issuerKeyHash));
}
