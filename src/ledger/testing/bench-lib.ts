/**
 * What bench/ledger.mjs needs from the TypeScript sources, bundled by it into one CommonJS file
 * (bench/.work/ledger/lib.cjs): the store, the PostgreSQL harness and the raw-insert baseline.
 */
export { Ledger } from '../store.js';
export { parseStoreSpec } from '../store-spec.js';
export { startPostgres, findPgBin } from '../../testing/postgres.js';
export { rawInserter } from './raw-insert.js';
export { verifyLedger } from '../verify.js';
