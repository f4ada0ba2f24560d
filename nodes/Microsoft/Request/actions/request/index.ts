/** The Request resource: one line per operation (its dropdown entry, fields and code live in the file). */
export * as batch from './batch.operation';
export * as send from './send.operation';
