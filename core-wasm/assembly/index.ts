// Ruqsat trust core: the WebAssembly exports the TypeScript loader (core-wasm/src) binds to.
export { alloc, free } from './memory';
export { walk } from './der';
export { parseTime } from './time';
export { sha256, sha256Batch, sha256Init, sha256Copy, sha256Free, sha256Update, sha256Final, sha256Save, sha256Load } from './sha256';
export { parseCertificate } from './x509';
export { parseCrl } from './crl';
export { verifySigned } from './signed';
export { sha512 } from './sha512';
export { tblNew, tblFree, tblCount, tblBytes, tblPut, tblGet, crlEntries } from './revocation';
