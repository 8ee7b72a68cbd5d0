import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { GitError } from '../core/errors.js';
import { cleanGitMessage, spawnGit } from './exec.js';

export interface ObjectInfo {
  oid: string;
  type: 'blob' | 'tree' | 'commit' | 'tag';
  size: number;
}

interface Pending {
  kind: 'info' | 'contents';
  name: string;
  /** contents: larger objects are skipped (their bytes discarded as they arrive), and resolve without data. */
  max?: number;
  /** contents: hand over a view into the stream buffer (valid during the call only) instead of a copy. */
  view?: boolean;
  resolve: (v: { info: ObjectInfo; data?: Buffer } | undefined) => void;
  reject: (e: Error) => void;
}

/**
 * One `git cat-file --batch-command` process for the whole run: resolves revisions, sizes and
 * contents of any number of objects without a process per file. Requests are pipelined.
 */
export class CatFile {
  private proc: ChildProcessWithoutNullStreams | undefined;
  private queue: Pending[] = [];
  private buf: Buffer = Buffer.alloc(0);
  private stderr = '';
  private failed: Error | undefined;
  /** Requests not yet written: one write (and one `flush`) per turn of the event loop, not one per object. */
  private out = '';
  private flushing = false;
  /** Bytes of a skipped object (and its newline) still to discard. */
  private skip = 0;
  /** The buffer length the object at the head of the queue needs to be whole (0: no object is waited for). */
  private need = 0;
  /** Chunks that arrived while waiting for `need` bytes, not yet joined to `buf`. */
  private waiting: Buffer[] = [];
  private waitingBytes = 0;

  constructor(private readonly dir: string) {}

  private start(): ChildProcessWithoutNullStreams {
    if (this.proc) return this.proc;
    // --buffer: git writes its output when told to `flush`, in large writes, instead of once per object.
    const p = spawnGit(this.dir, ['cat-file', '--batch-command', '--buffer']);
    p.stdout.on('data', (chunk: Buffer) => {
      // While a large object arrives, its chunks are kept aside and joined once it is whole: joining
      // each chunk to all before it copied a 32 MiB blob hundreds of times (quadratic).
      if (this.need && this.buf.length + this.waitingBytes + chunk.length < this.need) {
        this.waiting.push(chunk);
        this.waitingBytes += chunk.length;
        return;
      }
      if (this.waiting.length) {
        this.buf = Buffer.concat([this.buf, ...this.waiting, chunk]);
        this.waiting = [];
        this.waitingBytes = 0;
      } else this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
      this.need = 0;
      this.drain();
    });
    p.stderr.on('data', (c: Buffer) => {
      this.stderr += c.toString('utf8');
    });
    p.on('error', (e) => this.fail(new GitError(`cannot run git: ${e.message}`)));
    p.on('close', (code) => {
      if (this.queue.length)
        this.fail(new GitError(cleanGitMessage(this.stderr) || `git cat-file exited with ${code}`));
    });
    p.stdin.on('error', () => {
      /* reported through close */
    });
    this.proc = p;
    return p;
  }

  private fail(e: Error): void {
    this.failed = e;
    const q = this.queue;
    this.queue = [];
    for (const r of q) r.reject(e);
  }

  private drain(): void {
    for (;;) {
      if (this.skip) {
        const n = Math.min(this.skip, this.buf.length);
        this.skip -= n;
        this.buf = this.buf.subarray(n);
        if (this.skip) return;
      }
      const head = this.queue[0];
      if (!head) return;
      const buf = this.buf;
      const nl = buf.indexOf(10);
      if (nl < 0) return;
      // The header is ASCII (`<oid> <type> <size>` or `<name> missing`): read it without a UTF-8 decode.
      const line = buf.toString('latin1', 0, nl);
      if (line.endsWith(' missing') || line.endsWith(' ambiguous')) {
        this.buf = buf.subarray(nl + 1);
        this.queue.shift();
        head.resolve(undefined);
        continue;
      }
      const s1 = line.indexOf(' ');
      const s2 = line.indexOf(' ', s1 + 1);
      const oid = line.slice(0, s1);
      const type = line.slice(s1 + 1, s2);
      const size = s2 > 0 ? Number(line.slice(s2 + 1)) : NaN;
      if (s1 <= 0 || s2 <= 0 || !Number.isFinite(size)) {
        this.fail(new GitError(`unexpected output from git cat-file: ${buf.toString('utf8', 0, Math.min(nl, 200))}`));
        return;
      }
      const info = { oid, type: type as ObjectInfo['type'], size };
      if (head.kind === 'info' || (head.max !== undefined && size > head.max)) {
        this.buf = buf.subarray(nl + 1);
        if (head.kind === 'contents') this.skip = size + 1;
        this.queue.shift();
        head.resolve({ info });
        continue;
      }
      if (buf.length < nl + 1 + size + 1) {
        this.need = nl + 1 + size + 1; // wait for the whole object
        return;
      }
      const view = buf.subarray(nl + 1, nl + 1 + size);
      const data = head.view ? view : Buffer.from(view);
      this.buf = buf.subarray(nl + 1 + size + 1);
      this.queue.shift();
      head.resolve({ info, data });
    }
  }

  private request(
    kind: Pending['kind'],
    name: string,
    max?: number,
  ): Promise<{ info: ObjectInfo; data?: Buffer } | undefined> {
    if (this.failed) return Promise.reject(this.failed);
    if (/[\n\r\0]/.test(name)) return Promise.resolve(undefined);
    const p = this.start();
    return new Promise((resolve, reject) => {
      this.queue.push({ kind, name, resolve, reject, ...(max !== undefined ? { max } : {}) });
      this.send(p, `${kind} ${name}\n`);
    });
  }

  /** Queues request lines: written (with one `flush`) at the end of this turn, in the order of the queue. */
  private send(p: ChildProcessWithoutNullStreams, lines: string): void {
    this.out += lines;
    if (!this.flushing) {
      this.flushing = true;
      queueMicrotask(() => {
        this.flushing = false;
        const text = this.out;
        this.out = '';
        if (text) p.stdin.write(`${text}flush\n`);
      });
    }
  }

  /** Type and size of an object name (`<rev>^{commit}`, `<rev>:<path>`, an oid); undefined when missing. */
  async info(name: string): Promise<ObjectInfo | undefined> {
    return (await this.request('info', name))?.info;
  }

  /** Contents of an object; undefined when missing. */
  async contents(name: string): Promise<{ info: ObjectInfo; data: Buffer } | undefined> {
    const r = await this.request('contents', name);
    return r ? { info: r.info, data: r.data ?? Buffer.alloc(0) } : undefined;
  }

  /**
   * Contents of an object in one round trip, unless it is larger than `max` bytes: then only its info
   * (its bytes are discarded as git writes them, never kept). Undefined when missing.
   */
  async contentsUpTo(name: string, max: number): Promise<{ info: ObjectInfo; data?: Buffer } | undefined> {
    return this.request('contents', name, max);
  }

  /**
   * Contents of many objects, requested at once, without a promise per object: `each(i, r)` is called
   * for `names[i]` as its bytes arrive, with `r.data` a view into the stream buffer that is valid
   * during the call only (decode or copy it there). An object larger than `max` bytes comes with its
   * info only; a missing one as undefined. Resolves once every object has been handed over.
   */
  readEach(
    names: readonly string[],
    max: number,
    each: (i: number, r: { info: ObjectInfo; data?: Buffer } | undefined) => void,
  ): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    if (names.length === 0) return Promise.resolve();
    const p = this.start();
    return new Promise((resolve, reject) => {
      let left = names.length;
      let failed = false;
      const fail = (e: Error) => {
        if (!failed) {
          failed = true;
          reject(e);
        }
      };
      let text = '';
      for (let i = 0; i < names.length; i++) {
        const name = names[i]!;
        const done = (r: { info: ObjectInfo; data?: Buffer } | undefined) => {
          if (failed) return;
          try {
            each(i, r);
          } catch (e) {
            fail(e instanceof Error ? e : new Error(String(e)));
            return;
          }
          if (--left === 0) resolve();
        };
        if (/[\n\r\0]/.test(name)) {
          queueMicrotask(() => done(undefined));
          continue;
        }
        this.queue.push({ kind: 'contents', name, max, view: true, resolve: done, reject: fail });
        text += `contents ${name}\n`;
      }
      if (text) this.send(p, text);
    });
  }

  /**
   * Ends the process. A request after this is refused rather than starting another process that
   * nobody would close (a surface still running when another one failed would keep the run alive).
   */
  close(): void {
    this.failed ??= new GitError('git cat-file: the repository was closed');
    if (!this.proc) return;
    this.proc.stdin.end();
    this.proc = undefined;
  }
}

/** Parses a raw git tree object into its entries; `idLen` is 20 bytes for SHA-1 repositories, 32 for SHA-256. */
export function parseTree(
  data: Buffer,
  idLen = 20,
): Array<{ mode: string; name: string; oid: string; type: 'blob' | 'tree' | 'commit' }> {
  const out: Array<{ mode: string; name: string; oid: string; type: 'blob' | 'tree' | 'commit' }> = [];
  let i = 0;
  while (i < data.length) {
    const sp = data.indexOf(32, i);
    const nul = data.indexOf(0, sp);
    if (sp < 0 || nul < 0) break;
    const mode = data.subarray(i, sp).toString('ascii');
    const name = data.subarray(sp + 1, nul).toString('utf8');
    const oid = data.subarray(nul + 1, nul + 1 + idLen).toString('hex');
    i = nul + 1 + idLen;
    const type = mode === '40000' ? 'tree' : mode === '160000' ? 'commit' : 'blob';
    out.push({ mode, name, oid, type });
  }
  return out;
}
