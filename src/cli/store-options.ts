// No imports: commands load this for their option table without loading the store.
/** The option-table entries every ledger command shares: the store, the repository, -o and -h. */
export const STORE_OPTIONS = {
  store: { type: 'string' },
  repo: { type: 'string' },
  verbose: { type: 'boolean' },
  output: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** How every command that opens the ledger describes the store flags in its --help. */
export const STORE_HELP = `      --store STORE       the ledger: postgres://user@host:5432/db, sqlite:PATH or a PATH (default:
                          ROLLWRIGHT_STORE, else ledger.store in .rollwright.yaml, else a file in the
                          user's state directory for this repository; see docs/ledger.md)
      --verbose           say which store is used, and why, on stderr`;
