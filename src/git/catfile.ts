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

  constructor(private readonly dir: string) {}

  private start(): ChildProcessWithoutNullStreams {
    if (this.proc) return this.proc;
    const p = spawnGit(this.dir, ['cat-file', '--batch-command']);
    p.stdout.on('data', (chunk: Buffer) => {
      this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
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
      const head = this.queue[0];
      if (!head) return;
      const nl = this.buf.indexOf(10);
      if (nl < 0) return;
      const line = this.buf.subarray(0, nl).toString('utf8');
      if (line.endsWith(' missing') || line.endsWith(' ambiguous')) {
        this.buf = this.buf.subarray(nl + 1);
        this.queue.shift();
        head.resolve(undefined);
        continue;
      }
      const [oid, type, sizeText] = line.split(' ');
      const size = Number(sizeText);
      if (!oid || !type || !Number.isFinite(size)) {
        this.fail(new GitError(`unexpected output from git cat-file: ${line.slice(0, 200)}`));
        return;
      }
      const info = { oid, type: type as ObjectInfo['type'], size };
      if (head.kind === 'info') {
        this.buf = this.buf.subarray(nl + 1);
        this.queue.shift();
        head.resolve({ info });
        continue;
      }
      if (this.buf.length < nl + 1 + size + 1) return; // wait for the whole object
      const data = Buffer.from(this.buf.subarray(nl + 1, nl + 1 + size));
      this.buf = this.buf.subarray(nl + 1 + size + 1);
      this.queue.shift();
      head.resolve({ info, data });
    }
  }

  private request(kind: Pending['kind'], name: string): Promise<{ info: ObjectInfo; data?: Buffer } | undefined> {
    if (this.failed) return Promise.reject(this.failed);
    if (/[\n\r\0]/.test(name)) return Promise.resolve(undefined);
    const p = this.start();
    return new Promise((resolve, reject) => {
      this.queue.push({ kind, name, resolve, reject });
      p.stdin.write(`${kind} ${name}\n`);
    });
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

  close(): void {
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
