// No imports: commands load this for their option table without loading the store.
/** The option-table entries every ledger command shares: the store, the repository, -o and -h. */
export const STORE_OPTIONS = {
  store: { type: 'string' },
  repo: { type: 'string' },
  output: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h' },
} as const;
