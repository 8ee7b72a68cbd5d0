/**
 * What bench/ledger.mjs needs from the TypeScript sources, bundled by it into one CommonJS file
 * (bench/.work/ledger/lib.cjs): the store, the PostgreSQL harness and the raw-insert baseline.
 */
export { Ledger } from '../../ledger/store.js';
export { parseStoreSpec } from '../../ledger/store-spec.js';
export { startPostgres, findPgBin } from '../postgres.js';
export { rawInserter } from './raw-insert.js';
export { verifyLedger } from '../../ledger/verify.js';
