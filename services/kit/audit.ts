// The hash-chained audit log every service keeps: its migration, the appender and the verifier.
export { auditLogMigration } from './audit/migration.ts';
export { AuditLog, type AuditEntry, type AuditInput } from './audit/log.ts';
export { verifyChain, type ChainBreak, type ChainResult, type VerifyOptions } from './audit/verify.ts';
export { canonicalText, canonicalJson, entryHash, GENESIS_HASH, type JsonValue } from './audit/canonical.ts';
