import type { OptionTable } from './define.js';

/** The flags every command that reads or writes the evidence ledger takes: which ledger, and saying why. */
export const STORE_OPTIONS = {
  store: {
    type: 'string',
    metavar: 'STORE',
    env: 'ROLLWRIGHT_STORE',
    defaultText: "ledger.store in .rollwright.yaml, else a file in the user's state directory for this repository",
    description: 'the evidence ledger: postgres://user@host:5432/db, sqlite:PATH or a PATH',
    details: 'how the store is chosen, and where the default file lives: docs/ledger.md',
  },
  repo: {
    type: 'string',
    metavar: 'DIR',
    defaultText: '.',
    description: 'the repository: its default ledger and .rollwright.yaml',
  },
  verbose: { type: 'boolean', description: 'say which store is used, and why, on stderr' },
} as const satisfies OptionTable;
