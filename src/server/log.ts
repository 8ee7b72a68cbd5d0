/** The server's log: one JSON line per request or event, batched onto stderr; never a token or a body. */
import { HttpProblem } from './http.js';

/** An unexpected error: logged with its message, answered as a 500 that names no detail. */
export function internal(e: unknown, log: (line: string) => void): HttpProblem {
  log(
    JSON.stringify({
      at: new Date().toISOString(),
      event: 'internal-error',
      message: e instanceof Error ? e.message : String(e),
    }),
  );
  return new HttpProblem(500, 'Internal error', 'the server failed on this request; see its log');
}

let logLines: string[] = [];

/**
 * Request logs go to stderr once per turn of the event loop, not once per request: stderr is a
 * synchronous write (a file or a pipe), and under load one write per request costs more than the
 * request itself.
 */
export function stderrLog(line: string): void {
  if (logLines.push(line) === 1) setImmediate(flushLog);
}

export function flushLog(): void {
  if (!logLines.length) return;
  const text = logLines.join('\n') + '\n';
  logLines = [];
  process.stderr.write(text);
}
