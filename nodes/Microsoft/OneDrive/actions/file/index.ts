/** The File resource: one line per operation (its dropdown entry, fields and code live in the file). */
export * as copy from './copy.operation';
export * as delete from './delete.operation';
export * as download from './download.operation';
export * as get from './get.operation';
export * as listVersions from './listVersions.operation';
export * as move from './move.operation';
export * as rename from './rename.operation';
export * as search from './search.operation';
export * as share from './share.operation';
export * as upload from './upload.operation';
