export declare function rangeOf(
  event: { pull_request?: { base?: { sha?: string } }; before?: string },
  inputs: { base?: string; head?: string },
): { base: string; head: string };
export declare function ensureBase(
  dir: string,
  base: string,
  head: string,
  opts?: { remote?: string; step?: number },
): Promise<string[]>;
export declare function truthy(v: string | undefined, dflt: boolean): boolean;
export declare function conclusion(
  exitCode: string | number | undefined,
  failOnGate: boolean,
): { exit: number; message: string };
export declare function sarifForUpload<T extends { runs?: { results?: { suppressions?: unknown[] }[] }[] }>(
  sarif: T,
  keepSuppressed: boolean,
): T;
