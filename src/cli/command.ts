/** What a command returns; only cli/main.ts writes the final output and exits. */
export interface CommandResult {
  stdout: string;
  exitCode: number;
  /** Output too large to hold in one string (`ledger export`, `assess -o json`): written after `stdout`, chunk by chunk. */
  stream?: AsyncIterable<string> | Iterable<string>;
}
