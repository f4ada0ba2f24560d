/** The Folder resource: one line per operation (its dropdown entry, fields and code live in the file). */
export * as create from './create.operation';
export * as delete from './delete.operation';
export * as listChildren from './listChildren.operation';
export * as move from './move.operation';
export * as rename from './rename.operation';
export * as search from './search.operation';
export * as share from './share.operation';
