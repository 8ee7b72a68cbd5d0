/**
 * Typed errors. Commands throw them; only cli/main.ts turns them into exit codes:
 * UsageError and InputError and GitError -> 2, InternalError (and anything untyped) -> 3.
 */
export class RollwrightError extends Error {
  override name = 'RollwrightError';
  readonly exitCode: number = 3;
}

/** The command line is wrong: unknown flag, bad value, missing argument. */
export class UsageError extends RollwrightError {
  override name = 'UsageError';
  override readonly exitCode = 2;
  /** A suggestion, printed on a line of its own after the message: `Did you mean --base?`. */
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** An input file or value cannot be used; names the file and, where known, the line. */
export class InputError extends RollwrightError {
  override name = 'InputError';
  override readonly exitCode = 2;
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(file ? `${file}${line ? `:${line}${column ? `:${column}` : ''}` : ''}: ${message}` : message);
  }
}

/** git refused, a ref does not resolve, the directory is not a repository. */
export class GitError extends RollwrightError {
  override name = 'GitError';
  override readonly exitCode = 2;
}

/** A bug in rollwright. */
export class InternalError extends RollwrightError {
  override name = 'InternalError';
  override readonly exitCode = 3;
}

export function exitCodeOf(err: unknown): number {
  return err instanceof RollwrightError ? err.exitCode : 3;
}

/**
 * An optional package a feature needs is not installed (the MySQL parser, PGlite, the PostgreSQL
 * driver: the published package leaves them out of its default install). Says what to install.
 */
export class MissingPackageError extends RollwrightError {
  override name = 'MissingPackageError';
  override readonly exitCode = 2;
  constructor(
    readonly pkg: string,
    feature: string,
  ) {
    super(
      `${feature} needs the optional package ${pkg}, which is not installed: ` +
        `install it beside rollwright (\`npm install -g ${pkg}\` for a global rollwright, \`npm install ${pkg}\` in a project)`,
    );
  }
}

/**
 * Awaits the dynamic import of an optional package, turning "cannot find it" (and only that) into a
 * MissingPackageError. The caller keeps the literal `import('pkg')`: the bundle routes it.
 */
export async function optionalPackage<T>(loading: Promise<T>, pkg: string, feature: string): Promise<T> {
  try {
    return await loading;
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    const message = String((e as { message?: unknown } | null)?.message ?? '');
    if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && message.includes(`'${pkg}'`))
      throw new MissingPackageError(pkg, feature);
    throw e;
  }
}
