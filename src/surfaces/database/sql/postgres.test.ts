import { describe, expect, it } from 'vitest';
import { loadPgParser, parsePostgres, parsePostgresMany } from './postgres.js';
import { byteToChar } from './text.js';

describe('parsePostgresMany', () => {
  it('gives each text the result parsePostgres gives it alone, across texts that do not end cleanly', async () => {
    const pg = await loadPgParser();
    const texts = [
      '-- first\nCREATE TABLE a (id int);\nALTER TABLE a ADD COLUMN b text;\n',
      'ALTER TABLE a DROP COLUMN b', // no semicolon: ends at the text's end
      '',
      '  -- only a comment',
      ';',
      "INSERT INTO a VALUES ('é—ü');\n  UPDATE a SET id = 2 /* ünïcode */ WHERE id = 1; -- trailing",
      'SELECT 1; /* unterminated comment',
      'SELECT 2; */ DROP TABLE a;', // would close the comment above if texts leaked into each other
      "SELECT 'unterminated",
      "'; DROP TABLE b;",
      'CREATE INDEX CONCURRENTLY i ON a (id);\n\n\nDROP INDEX i;\n',
      'ALTER TABLE',
      'SELECT $$ body',
      '$$; DROP TABLE c;',
      "COMMENT ON TABLE a IS 'x';\r\nALTER TABLE a RENAME COLUMN id TO key;",
    ];
    const alone = texts.map((t) => parsePostgres(pg, t));
    expect(parsePostgresMany(pg, texts)).toEqual(alone);
    // Many texts: several parser calls, the same results.
    const many = Array.from({ length: 300 }, (_, i) => texts[i % texts.length]!);
    expect(parsePostgresMany(pg, many)).toEqual(many.map((t) => parsePostgres(pg, t)));
    // Only valid texts (one joined call per batch), lines and columns counted per text.
    const valid = Array.from(
      { length: 130 },
      (_, i) => `-- m${i}\n\n  ALTER TABLE t${i} ADD COLUMN c${i} int;\nSELECT ${i};`,
    );
    const got = parsePostgresMany(pg, valid);
    expect(got).toEqual(valid.map((t) => parsePostgres(pg, t)));
    expect(got[129]!.statements.map((s) => [s.line, s.column, s.text])).toEqual([
      [3, 3, 'ALTER TABLE t129 ADD COLUMN c129 int'],
      [4, 1, 'SELECT 129'],
    ]);
    expect(alone[6]!.error).toBeDefined();
    expect(alone[1]!.statements[0]!.ops[0]!.kind).toBe('drop-column');
  });

  it('reads ASCII batches (string offsets) as it reads the others (byte offsets), text by text', async () => {
    const pg = await loadPgParser();
    // Statements after comments and blank lines, sharing a line, spanning lines, with CRLF and tabs.
    const ascii = [
      '-- m1\n/* block\n   comment */ CREATE TABLE a (id int);  ALTER TABLE a ADD COLUMN b text;\n',
      '\t\r\nALTER TABLE a\r\n  ADD COLUMN c int NOT NULL DEFAULT 0,\r\n  ADD CONSTRAINT k CHECK (c > 0) NOT VALID;',
      'UPDATE a SET b = lower(b) WHERE b <> lower(b); DELETE FROM a;\n-- trailing comment',
      'DROP INDEX CONCURRENTLY i; DROP TABLE a, s.b;\n\n\nSELECT 1 /* end */',
    ];
    const mixed = [
      ...ascii,
      "-- é\nALTER TABLE ü RENAME COLUMN é TO e; COMMENT ON TABLE ü IS 'ü';",
      // Four UTF-8 bytes and two UTF-16 units per character, then statements after it in the same batch.
      'COMMENT ON TABLE t IS \'\u{1F680}\u{1F680}\';\n  ALTER TABLE t ADD COLUMN "\u{1F680}" int; ALTER TABLE t DROP COLUMN x;',
      ...ascii,
    ];
    for (const texts of [ascii, mixed, Array.from({ length: 100 }, (_, i) => ascii[i % ascii.length]!)]) {
      const alone = texts.map((t) => parsePostgres(pg, t));
      expect(parsePostgresMany(pg, texts)).toEqual(alone);
    }
    expect(
      parsePostgresMany(pg, ascii)[0]!.statements.map((s) => [s.line, s.column, s.text, s.ops.map((o) => o.kind)]),
    ).toEqual([
      [3, 15, 'CREATE TABLE a (id int)', ['create-table']],
      [3, 41, 'ALTER TABLE a ADD COLUMN b text', ['add-column']],
    ]);
    expect(parsePostgresMany(pg, ascii)[1]!.statements[0]!.ops.map((o) => [o.kind, o.column0, o.detail])).toEqual([
      ['add-column-default', 1, 'int4'],
      ['add-constraint-not-valid', 1, 'check'],
    ]);
  });

  it("parses as libpg-query's own parseSync does: the same trees, the same errors", async () => {
    const pg = await loadPgParser();
    const lp = (await import('libpg-query')) as unknown as {
      loadModule(): Promise<void>;
      parseSync(sql: string): unknown;
    };
    await lp.loadModule();
    const caught = (f: () => unknown) => {
      try {
        return { ok: f() };
      } catch (e) {
        const d = (e as { sqlDetails?: { message: string; cursorPosition: number } }).sqlDetails;
        return { message: (e as Error).message, details: d && { message: d.message, at: d.cursorPosition } };
      }
    };
    const inputs = [
      'SELECT 1',
      "CREATE TABLE ü (id int PRIMARY KEY, name text DEFAULT 'é—');\nALTER TABLE ü ADD COLUMN c int;",
      'ALTER TABLE t ADD COLUMN',
      'SELEKT 1;',
      "SELECT 'x",
      'CREATE INDEX CONCURRENTLY i ON t (a);'.repeat(2000),
      '',
    ];
    for (const sql of inputs) expect(caught(() => pg.parseSync(sql))).toEqual(caught(() => lp.parseSync(sql)));
    expect(caught(() => pg.parseSync('SELEKT 1;'))).toMatchObject({
      details: { message: 'syntax error at or near "SELEKT"', at: 0 },
    });
  });
});

describe('byteToChar', () => {
  // 'a' 1 byte, 'é' 2, '—' 3, '🚀' 4 bytes and 2 UTF-16 units, 'b' 1.
  const text = 'a\u00e9\u2014\u{1F680}b';
  it.each([
    [0, 0],
    [1, 1],
    [3, 2],
    [6, 3],
    [10, 5],
    [11, 6],
  ])('byte %i is character %i', (byte, char) => {
    expect(byteToChar(text)(byte)).toBe(char);
  });

  it('answers offsets asked in order, and starts again for a smaller one', () => {
    const charOf = byteToChar(text);
    expect([1, 3, 6, 10, 11, 3, 10].map(charOf)).toEqual([1, 2, 3, 5, 6, 2, 5]);
  });
});
