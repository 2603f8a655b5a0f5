// The transactional outbox to registry every publishing service keeps: its migration and the Outbox.
export { outboxMigration } from './outbox/migration.ts';
export { Outbox, type OutboxDeps, type OutboxLag, type OutboxOptions, type RelayRound } from './outbox/outbox.ts';
