/** The shared Microsoft layer: the only way nodes talk HTTP to Microsoft. */
export * from './connection';
export * from './transport';
export * from './retry';
export * from './paging';
export * from './batch';
export * from './odataBatch';
export * from './preAuthenticated';
export * from './errors';
export * from './odata';
export * from './input';
export * from './output';
