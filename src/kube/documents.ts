import type { SurfaceContext } from '../core/surface.js';
import { splitDocuments } from '../core/yaml-documents.js';

/** One document piece of a text (core/yaml-documents.ts splitDocuments). */
export interface Piece {
  text: string;
  offset: number;
}

/** The documents of one side of a file, split once per run whichever surface or rule asks first. */
export interface FileDocuments {
  pieces: Piece[];
  /**
   * The `apiVersion` and `kind` written on the piece's own lines at column 0, without parsing (either
   * may be missing: flow style, JSON, a tag or an alias is read as written, or not at all).
   */
  header(i: number): { apiVersion?: string; kind?: string };
  /**
   * Whether the piece holds no node at all: only comments, blank lines, directives and document
   * markers (the comment a file opens with before its first `---`, say). It is no document.
   */
  empty(i: number): boolean;
}

/**
 * The document pieces of `text`, memoised per run under `key` (the blob key the surfaces' parse memo
 * uses, so one key always names one text).
 */
export function documentsOf(ctx: Pick<SurfaceContext, 'memo'>, key: string, text: string): FileDocuments {
  return ctx.memo(`kubernetes:documents:${key}`, () => {
    const pieces = splitDocuments(text);
    const headers: Array<{ apiVersion?: string; kind?: string }> = [];
    return {
      pieces,
      header: (i) => (headers[i] ??= readHeader(pieces[i]!.text)),
      empty: (i) => !CONTENT_LINE.test(pieces[i]!.text),
    };
  });
}

/** A line that is not blank, a comment, a directive or a bare document marker. */
const CONTENT_LINE = /^(?![ \t]*(?:#|$)|(?:---|\.\.\.)[ \t]*(?:#|$)|%)/m;

function readHeader(doc: string): { apiVersion?: string; kind?: string } {
  const apiVersion = /^apiVersion:[ \t]*["']?([^\s"'#]+)/m.exec(doc)?.[1];
  const kind = /^kind:[ \t]*["']?([^\s"'#]+)/m.exec(doc)?.[1];
  return { ...(apiVersion !== undefined ? { apiVersion } : {}), ...(kind !== undefined ? { kind } : {}) };
}

/**
 * Whether a document with this header may hold an object of one of `kinds`: it does unless its
 * header names another kind as a plain word (a List, a tag, an alias or no kind line at all may).
 */
export function mayBeKind(kind: string | undefined, kinds: readonly string[]): boolean {
  return kind === undefined || !/^[A-Za-z][A-Za-z0-9]*$/.test(kind) || kind.endsWith('List') || kinds.includes(kind);
}
