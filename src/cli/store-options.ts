import type { OptionTable } from './define.js';

/** The flags every command that reads or writes the evidence ledger takes: where the ledger is. */
export const STORE_OPTIONS = {
  store: {
    type: 'string',
    metavar: 'STORE',
    env: 'ROLLWRIGHT_STORE',
    defaultText: 'sqlite:<repo>/.rollwright/ledger.db',
    description: 'the evidence ledger: sqlite:PATH or postgres://user@host:5432/db',
  },
  repo: {
    type: 'string',
    metavar: 'DIR',
    defaultText: '.',
    description: 'the repository: where the default ledger and .rollwright.yaml are',
  },
} as const satisfies OptionTable;
