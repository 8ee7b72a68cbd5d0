/**
 * Lines of HCL blocks and attributes. The HCL parser (@cdktf/hcl2json) gives values but no positions;
 * this scanner walks the same text for structure only: block headers (`resource "aws_x" "y" {`), their
 * nesting, and the line of each attribute. It understands strings with `${}`/`%{}` templates, heredocs
 * and the three comment styles, and never throws: on text it does not follow it returns what it found
 * (the parser reports the syntax error).
 */
export interface BlockIndex {
  type: string;
  labels: string[];
  /** 1-based line of the block header; 1 for the file itself. */
  line: number;
  attrs: Map<string, number>;
  blocks: BlockIndex[];
}

export function indexHcl(text: string): BlockIndex {
  const root: BlockIndex = { type: '', labels: [], line: 1, attrs: new Map(), blocks: [] };
  try {
    new Scanner(text).body(root, false);
  } catch {
    /* partial index: the parser reports the syntax */
  }
  return root;
}

/** Blocks of a type directly in `parent`, in file order. */
export function blocksOf(parent: BlockIndex | undefined, type: string): BlockIndex[] {
  return parent ? parent.blocks.filter((b) => b.type === type) : [];
}

/**
 * The first block of a type directly in `parent` whose labels start with `labels`. Looked up in a map
 * built once per parent (by type and every prefix of the labels): a search of the list per lookup made
 * a module of 60,000 resources cost hours.
 */
export function findBlock(parent: BlockIndex | undefined, type: string, ...labels: string[]): BlockIndex | undefined {
  if (!parent) return undefined;
  let lookup = lookups.get(parent);
  if (!lookup || lookup.size !== parent.blocks.length) {
    const byKey = new Map<string, BlockIndex>();
    for (const b of parent.blocks)
      for (let k = 0; k <= b.labels.length; k++) {
        const key = [b.type, ...b.labels.slice(0, k)].join('\0');
        if (!byKey.has(key)) byKey.set(key, b);
      }
    lookups.set(parent, (lookup = { size: parent.blocks.length, byKey }));
  }
  return lookup.byKey.get([type, ...labels].join('\0'));
}

const lookups = new WeakMap<BlockIndex, { size: number; byKey: Map<string, BlockIndex> }>();

const isIdentStart = (c: string) => /[A-Za-z_]/.test(c);
const isIdent = (c: string) => /[A-Za-z0-9_-]/.test(c);

class Scanner {
  private i = 0;
  private line = 1;
  private guard = 0;

  constructor(private readonly s: string) {}

  body(block: BlockIndex, inBraces: boolean): void {
    const s = this.s;
    while (this.i < s.length) {
      if (++this.guard > 5_000_000) return;
      this.skipSpace(true);
      if (this.i >= s.length) return;
      const c = s[this.i]!;
      if (c === '}') {
        this.i++;
        if (inBraces) return;
        continue;
      }
      if (!isIdentStart(c)) {
        this.i++;
        continue;
      }
      const line = this.line;
      const name = this.ident();
      this.skipSpace(false);
      if (s[this.i] === '=' && s[this.i + 1] !== '=') {
        if (!block.attrs.has(name)) block.attrs.set(name, line);
        this.i++;
        this.expression();
        continue;
      }
      const labels: string[] = [];
      while (this.i < s.length) {
        const d = s[this.i]!;
        if (d === '"') labels.push(this.stringLiteral());
        else if (isIdentStart(d)) labels.push(this.ident());
        else break;
        this.skipSpace(false);
      }
      if (s[this.i] === '{') {
        this.i++;
        const child: BlockIndex = { type: name, labels, line, attrs: new Map(), blocks: [] };
        block.blocks.push(child);
        this.body(child, true);
        continue;
      }
      this.skipLine();
    }
  }

  private ident(): string {
    const start = this.i;
    while (this.i < this.s.length && isIdent(this.s[this.i]!)) this.i++;
    return this.s.slice(start, this.i);
  }

  /** Spaces and comments; newlines too when `newlines`. A `#`/`//` comment stops before its newline. */
  private skipSpace(newlines: boolean): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s[this.i]!;
      if (c === ' ' || c === '\t' || c === '\r') this.i++;
      else if (c === '\n') {
        if (!newlines) return;
        this.line++;
        this.i++;
      } else if (c === '#' || (c === '/' && s[this.i + 1] === '/')) {
        while (this.i < s.length && s[this.i] !== '\n') this.i++;
      } else if (c === '/' && s[this.i + 1] === '*') {
        this.i += 2;
        while (this.i < s.length && !(s[this.i] === '*' && s[this.i + 1] === '/')) {
          if (s[this.i] === '\n') this.line++;
          this.i++;
        }
        this.i += 2;
      } else return;
    }
  }

  private skipLine(): void {
    while (this.i < this.s.length && this.s[this.i] !== '\n') this.i++;
  }

  /** An attribute's expression: up to a newline outside brackets, or a `}` closing the block it is in. */
  private expression(): void {
    const s = this.s;
    let depth = 0;
    while (this.i < s.length) {
      if (++this.guard > 5_000_000) return;
      const c = s[this.i]!;
      if (c === '\n') {
        if (depth === 0) return;
        this.line++;
        this.i++;
      } else if (c === '"') this.stringLiteral();
      else if (c === '<' && s[this.i + 1] === '<' && this.heredoc()) continue;
      else if (c === '#' || (c === '/' && (s[this.i + 1] === '/' || s[this.i + 1] === '*'))) this.skipSpace(false);
      else if (c === '(' || c === '[' || c === '{') {
        depth++;
        this.i++;
      } else if (c === ')' || c === ']' || c === '}') {
        if (depth === 0) return; // the `}` of a one-line block
        depth--;
        this.i++;
      } else this.i++;
    }
  }

  /** A quoted string with templates; returns its literal text (templates kept as written). */
  private stringLiteral(): string {
    const s = this.s;
    const start = ++this.i;
    let out = '';
    while (this.i < s.length) {
      const c = s[this.i]!;
      if (c === '\\') {
        const n = s[this.i + 1];
        out += n === 'n' ? '\n' : n === 't' ? '\t' : (n ?? '');
        this.i += 2;
      } else if (c === '"') {
        this.i++;
        return out;
      } else if ((c === '$' || c === '%') && s[this.i + 1] === c && s[this.i + 2] === '{') {
        out += `${c}{`;
        this.i += 3;
      } else if ((c === '$' || c === '%') && s[this.i + 1] === '{') {
        const t = this.i;
        this.i += 2;
        this.template();
        out += s.slice(t, this.i);
      } else if (c === '\n') {
        // Not valid in a quoted string: stop here, the parser reports it.
        return out;
      } else {
        out += c;
        this.i++;
      }
    }
    void start;
    return out;
  }

  private template(): void {
    const s = this.s;
    let depth = 1;
    while (this.i < s.length && depth > 0) {
      const c = s[this.i]!;
      if (c === '"') {
        this.stringLiteral();
        continue;
      }
      if (c === '{') depth++;
      else if (c === '}') depth--;
      else if (c === '\n') this.line++;
      this.i++;
    }
  }

  /** `<<EOT` or `<<-EOT` to the line holding only the marker; false when `<<` is not a heredoc. */
  private heredoc(): boolean {
    const s = this.s;
    const m = /^<<-?([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/.exec(s.slice(this.i, this.i + 200));
    if (!m) return false;
    const marker = m[1]!;
    this.i += m[0].length;
    this.line++;
    while (this.i < s.length) {
      let end = s.indexOf('\n', this.i);
      if (end < 0) end = s.length;
      const text = s.slice(this.i, end).trim();
      this.i = end;
      if (text === marker) return true;
      if (this.i < s.length) {
        this.i++;
        this.line++;
      }
    }
    return true;
  }
}
