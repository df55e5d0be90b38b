// The vocabulary of llm-gateway, in one import: everything else speaks in these types. Each part lives in a file of
// its own — the catalog's, routing's, a call's, the ledger's, and the message model — and this file gathers them.
export * from './catalog-types.ts';
export * from './route-types.ts';
export * from './call-types.ts';
export * from './ledger-types.ts';
export * from './messages.ts';
