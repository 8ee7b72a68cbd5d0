/**
 * Progress for a person waiting at a terminal: one line on stderr (`assessing 1,204 files…`),
 * rewritten in place as the work moves on and erased when it ends, so stdout and the scrollback
 * keep only the result. It appears only once the run has taken `delayMs` (a second): a quick run
 * prints nothing. Where stderr is not a terminal (a CI log, a file, a test) nothing is ever written.
 */
export interface Progress {
  /** The line to show from now on (shown once the delay has passed). */
  update(text: string): void;
  /** Erases the line if it was shown; later updates are ignored. */
  done(): void;
}

const NONE: Progress = { update: () => undefined, done: () => undefined };

/** Progress is shown on a terminal stderr that can erase a line (`TERM=dumb` cannot). */
export function progressWanted(err: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return Boolean(err.isTTY) && env.TERM !== 'dumb';
}

/** The start of a run's progress on `err` (this process's stderr unless a test passes a stream). */
export function startProgress(
  text: string,
  err: { isTTY?: boolean; write(s: string): unknown } = process.stderr,
  env: NodeJS.ProcessEnv = process.env,
  delayMs = 1000,
): Progress {
  if (!progressWanted(err, env)) return NONE;
  let line = text;
  let shown = false;
  let ended = false;
  const show = () => {
    shown = true;
    err.write(`\r\u001b[K${line}`);
  };
  const timer = setTimeout(show, delayMs);
  timer.unref();
  return {
    update(t) {
      if (ended) return;
      line = t;
      if (shown) show();
    },
    done() {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      if (shown) err.write('\r\u001b[K');
    },
  };
}
