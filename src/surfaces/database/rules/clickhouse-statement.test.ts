import { describe, expect, it } from 'vitest';
import { ruleTable } from '../../../testing/rule-tester.js';
import { database } from '../index.js';
import { classifyClickHouse, firstCertainFailure, readClickHouse, splitClickHouse } from '../sql/clickhouse.js';
import rule from './clickhouse-statement.js';

const M = 'db/clickhouse/migrations';
const table = (name: string) =>
  `CREATE TABLE umami.${name}\n(\n    website_id UUID,\n    hostname LowCardinality(String),\n    created_at DateTime('UTC')\n)\n    engine = MergeTree\n        ORDER BY (website_id, created_at)\n        SETTINGS index_granularity = 8192;\n`;
/** A copy with a projection, then its swap: `materialize` names the projection the old or new text materializes. */
const copyAndSwap = (materialize: string, create = 'CREATE TABLE') =>
  `${table('website_event_new').replace('CREATE TABLE', create)}ALTER TABLE umami.website_event_new\nADD PROJECTION website_event_url_path_projection (\nSELECT * ORDER BY toStartOfDay(created_at), website_id\n);\n\nALTER TABLE umami.website_event_new MATERIALIZE PROJECTION ${materialize};\nINSERT INTO umami.website_event_new SELECT * FROM umami.website_event;\nRENAME TABLE umami.website_event TO umami.website_event_old;\nRENAME TABLE umami.website_event_new TO umami.website_event;\n`;
const view = (name: string, to: string) =>
  `CREATE MATERIALIZED VIEW umami.${name}\nTO umami.${to}\nAS\nSELECT website_id, toStartOfHour(created_at) AS created_at\nFROM umami.website_event\nGROUP BY website_id, created_at;\n`;

ruleTable(database, rule, {
  valid: [
    {
      name: 'an edited migration: its unchanged renames ran before, and a rename whose target only changed is not a new rename',
      before: {
        [`${M}/01_edit_keys.sql`]:
          'ALTER TABLE "event_data" RENAME COLUMN "event_date_value" TO "date_value";\nALTER TABLE "event_data" RENAME COLUMN "event_numeric_value" TO "numeric_value";',
      },
      after: {
        [`${M}/01_edit_keys.sql`]:
          '-- edit event_data values\nALTER TABLE "event_data" RENAME COLUMN "event_date_value" TO "date_value";\nALTER TABLE "event_data" RENAME COLUMN "event_numeric_value" TO "number_value";\nALTER TABLE "event_data" ADD COLUMN "job_id" UUID AFTER "created_at";',
      },
    },
    {
      name: 'an edited migration whose old text ran through (the projection it materializes exists): the unchanged swap ran before',
      before: { [`${M}/05_add_utm_clid.sql`]: copyAndSwap('website_event_url_path_projection') },
      after: { [`${M}/05_add_utm_clid.sql`]: copyAndSwap('website_event_url_path_projection SETTINGS mutations_sync = 2') },
    },
    {
      name: 'an edited migration whose table was created IF NOT EXISTS (it may have been there with that projection): no certain failure, the unchanged swap stays out',
      before: { [`${M}/05_add_utm_clid.sql`]: copyAndSwap('website_event_url_path_projection_new', 'CREATE TABLE IF NOT EXISTS') },
      after: { [`${M}/05_add_utm_clid.sql`]: copyAndSwap('website_event_url_path_projection', 'CREATE TABLE IF NOT EXISTS') },
    },
    {
      name: 'an edited migration that still fails where the old text failed (the wrong projection kept): what follows runs no more than before',
      before: { [`${M}/05_add_utm_clid.sql`]: copyAndSwap('website_event_url_path_projection_new') },
      after: { [`${M}/05_add_utm_clid.sql`]: `-- fixed later\n${copyAndSwap('website_event_url_path_projection_new')}` },
    },
    {
      // ClickHouse reads the INSERT and the first RENAME as one statement (an ORDER BY element takes no alias
      // without AS): a syntax error, so neither RENAME runs (database/invalid-sql reports the stop).
      name: 'a swap after a statement with no `;` before it: the file stops there, the swap never runs',
      after: {
        [`${M}/02_add_visit_id.sql`]: `${table('website_event_new')}INSERT INTO umami.website_event_new\nSELECT * FROM umami.website_event we\nORDER BY we.session_id, we.created_at\n\nRENAME TABLE umami.website_event TO umami.website_event_old;\nRENAME TABLE umami.website_event_new TO umami.website_event;\n`,
      },
    },
    {
      name: 'expands: a new table, nullable columns, a projection',
      after: {
        [`${M}/10_add_session_replay.sql`]: table('session_replay'),
        [`${M}/09_add_performance.sql`]:
          'ALTER TABLE umami.website_event ADD COLUMN lcp Nullable(Decimal(10, 1)) AFTER twclid;\nALTER TABLE umami.website_event ADD PROJECTION p (SELECT * ORDER BY hostname);\nALTER TABLE umami.website_event MATERIALIZE PROJECTION p;\n',
      },
    },
    {
      name: 'a table of the same migration filled and dropped (a scratch table)',
      after: {
        [`${M}/02_a.sql`]: `${table('website_event_join')}INSERT INTO umami.website_event_join SELECT * FROM umami.website_event;\nDROP TABLE umami.website_event_join;\n`,
      },
    },
    {
      name: 'the swap of a table is commented out',
      after: {
        [`${M}/03_a.sql`]: `${table('event_data_new')}/*\nRENAME TABLE umami.event_data TO umami.event_data_old;\nDROP TABLE umami.event_data_old\n */\n`,
      },
    },
  ],
  invalid: [
    {
      name: 'a materialized view dropped and created again (its TO table keeps the rows): info',
      after: {
        [`${M}/04_add_tag.sql`]: `-- add tag column\nALTER TABLE umami.website_event ADD COLUMN "tag" String AFTER "event_name";\n-- update materialized view\nDROP TABLE umami.website_event_stats_hourly_mv;\n${view('website_event_stats_hourly_mv', 'website_event_stats_hourly')}`,
      },
      errors: [{ messageId: 'viewRecreated', severity: 'info', class: 'fully-reversible', line: 4 }],
    },
    {
      name: 'a copy swapped in by RENAME TABLE, the old table kept',
      after: {
        [`${M}/02_add_visit_id.sql`]: `${table('website_event_new')}INSERT INTO umami.website_event_new\nSELECT * FROM umami.website_event we;\nRENAME TABLE umami.website_event TO umami.website_event_old;\nRENAME TABLE umami.website_event_new TO umami.website_event;\n/*\nDROP TABLE umami.website_event_old;\n*/\n`,
      },
      errors: [
        {
          messageId: 'swap',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          line: 13,
          message:
            'table website_event is swapped for the copy website_event_new (RENAME TABLE, not atomic); the old table is kept as website_event_old: rows written to website_event between the copy and the swap stay in website_event_old',
        },
      ],
    },
    {
      name: 'an edit that fixes the statement where the old text failed on every database (a projection the table it just created does not have): the unchanged swap after it runs for the first time',
      before: { [`${M}/05_add_utm_clid.sql`]: copyAndSwap('website_event_url_path_projection_new') },
      after: { [`${M}/05_add_utm_clid.sql`]: copyAndSwap('website_event_url_path_projection') },
      errors: [{ messageId: 'swap', class: 'reversible-with-manual-repair', severity: 'warning', line: 18 }],
    },
    {
      name: 'an edit that ends the INSERT with its missing `;`: the old text stopped there on every database, so the swap after it runs for the first time',
      before: {
        [`${M}/02_add_visit_id.sql`]: `${table('website_event_new')}INSERT INTO umami.website_event_new\nSELECT * FROM umami.website_event we\nORDER BY we.session_id\n\nRENAME TABLE umami.website_event TO umami.website_event_old;\nRENAME TABLE umami.website_event_new TO umami.website_event;`,
      },
      after: {
        [`${M}/02_add_visit_id.sql`]: `${table('website_event_new')}INSERT INTO umami.website_event_new\nSELECT * FROM umami.website_event we;\n\nRENAME TABLE umami.website_event TO umami.website_event_old;\nRENAME TABLE umami.website_event_new TO umami.website_event;`,
      },
      errors: [{ messageId: 'swap', class: 'reversible-with-manual-repair', severity: 'warning', line: 14 }],
    },
    {
      name: 'the same swap in one RENAME, and the old table dropped: the rows written meanwhile are gone',
      after: {
        [`${M}/05_a.sql`]: `${table('event_data_new')}INSERT INTO umami.event_data_new SELECT * FROM umami.event_data;\nRENAME TABLE umami.event_data TO umami.event_data_old, umami.event_data_new TO umami.event_data;\nDROP TABLE umami.event_data_old;\n`,
      },
      errors: [
        { messageId: 'swap', line: 11 },
        { messageId: 'dropTable', class: 'non-recoverable-without-restore', severity: 'error', line: 12 },
      ],
    },
    {
      name: 'EXCHANGE TABLES with a copy',
      after: {
        [`${M}/06_a.sql`]: `${table('t_new')}INSERT INTO t_new SELECT * FROM t;\nEXCHANGE TABLES t AND t_new;\n`,
      },
      errors: [
        {
          messageId: 'swap',
          message: /swapped for the copy t_new \(EXCHANGE TABLES\); the old table is kept as t_new/,
        },
      ],
    },
    {
      name: 'a mutation that fills empty values, or computes them from other columns of the same rows it picks by other columns, is info; over every row, or picked by the values it replaces, it overwrites',
      after: {
        [`${M}/08_a.sql`]: [
          'alter table umami.event_data\nupdate string_value = number_value\nwhere data_type = 2;',
          "alter table umami.event_data\nupdate string_value = replaceOne(concat(CAST(toDateTime(date_value, 'UTC'), 'String'),'Z'), ' ', 'T')\nwhere data_type = 4;",
          "ALTER TABLE umami.session UPDATE country = geo_country WHERE country = '';",
          "ALTER TABLE umami.session UPDATE country = 'XX', city = geo_city WHERE isNull(country);",
          "ALTER TABLE umami.session UPDATE country = 'XX' WHERE country IS NULL AND city IS NULL;",
          'ALTER TABLE umami.orders UPDATE total = price * quantity WHERE 1;',
          'ALTER TABLE umami.orders UPDATE total = price * quantity WHERE total > 0;',
        ].join('\n'),
      },
      errors: [
        { messageId: 'derived', severity: 'info', class: 'fully-reversible', line: 1, message: /from number_value of the same rows/ },
        { messageId: 'derived', severity: 'info', line: 4, message: /from date_value/ },
        { messageId: 'fillsEmpty', severity: 'info', line: 7 },
        { messageId: 'overwrite', severity: 'warning', class: 'non-recoverable-without-restore', line: 8 },
        { messageId: 'fillsEmpty', severity: 'info', line: 9 },
        { messageId: 'overwrite', severity: 'warning', class: 'non-recoverable-without-restore', line: 10 },
        { messageId: 'overwrite', severity: 'warning', line: 11 },
      ],
    },
    {
      name: 'data deleted, overwritten, renamed, retyped',
      after: {
        [`${M}/07_a.sql`]: [
          'ALTER TABLE umami.website_event DROP COLUMN "subdivision2";',
          'ALTER TABLE event_data RENAME COLUMN "event_data_type" TO "data_type";',
          "alter table umami.event_data\nupdate string_value = lower(string_value)\nwhere data_type = 2;",
          'ALTER TABLE event_data ADD COLUMN job_id UUID, UPDATE job_id = generateUUIDv4() WHERE 1;',
          'ALTER TABLE umami.session MODIFY COLUMN hostname String;',
          'TRUNCATE TABLE umami.session_data;',
          'RENAME TABLE umami.session TO umami.sessions;',
          'DROP TABLE umami.website_event_stats_hourly;',
        ].join('\n'),
      },
      errors: [
        { messageId: 'destroy', severity: 'error', class: 'non-recoverable-without-restore', line: 1 },
        { messageId: 'renameColumn', class: 'reversible-with-compatibility-window', line: 2 },
        { messageId: 'overwrite', severity: 'warning', class: 'non-recoverable-without-restore', line: 3 },
        { messageId: 'backfill', severity: 'info', line: 6 },
        { messageId: 'modifyColumn', line: 7 },
        { messageId: 'destroy', line: 8, message: /TRUNCATE/ },
        { messageId: 'renameTable', line: 9 },
        { messageId: 'dropTable', line: 10 },
      ],
    },
  ],
});

describe('ClickHouse statements', () => {
  it('finds the first statement that fails on every database as the file shows it', () => {
    const at = (sql: string) => firstCertainFailure(readClickHouse(sql));
    const t = 'CREATE TABLE t (a UInt32, b String, INDEX ib b TYPE bloom_filter GRANULARITY 1, PROJECTION pa (SELECT * ORDER BY a)) ENGINE = MergeTree ORDER BY a;\n';
    // valid: what the file gave the table, what it added, IF EXISTS, a table it did not create in full
    expect(at(`${t}ALTER TABLE t MATERIALIZE PROJECTION pa;\nALTER TABLE t MATERIALIZE INDEX ib;\nALTER TABLE t RENAME COLUMN a TO c;\nALTER TABLE t MODIFY COLUMN c UInt64;`)).toBeUndefined();
    expect(at(`${t}ALTER TABLE t ADD COLUMN d String, ADD INDEX id d TYPE set(0) GRANULARITY 1;\nALTER TABLE t MATERIALIZE INDEX id, DROP COLUMN d;`)).toBeUndefined();
    expect(at(`${t}ALTER TABLE t DROP PROJECTION IF EXISTS px;\nALTER TABLE t DROP COLUMN IF EXISTS x;`)).toBeUndefined();
    expect(at('CREATE TABLE IF NOT EXISTS t (a UInt32) ENGINE = MergeTree ORDER BY a;\nALTER TABLE t DROP COLUMN b;')).toBeUndefined();
    expect(at('CREATE TABLE t AS u;\nALTER TABLE t DROP COLUMN b;')).toBeUndefined();
    expect(at('ALTER TABLE u MATERIALIZE PROJECTION p;')).toBeUndefined();
    expect(at(`${t}RENAME TABLE t TO u;\nCREATE TABLE IF NOT EXISTS t (z UInt8) ENGINE = Log;\nALTER TABLE t DROP COLUMN a;`)).toBeUndefined();
    // invalid: a name the table does not have
    expect(at(`${t}ALTER TABLE t MATERIALIZE PROJECTION pa_new;`)).toEqual({ index: 1, why: 't has no projection pa_new' });
    expect(at(`${t}ALTER TABLE t CLEAR INDEX ix;`)).toEqual({ index: 1, why: 't has no index ix' });
    expect(at(`${t}ALTER TABLE t RENAME COLUMN a TO c;\nALTER TABLE t MODIFY COLUMN a UInt64;`)).toEqual({ index: 2, why: 't has no column a' });
    expect(at(`${t}ALTER TABLE t DROP PROJECTION pa;\nALTER TABLE t DROP PROJECTION pa;`)).toEqual({ index: 2, why: 't has no projection pa' });
    expect(at(`${t}RENAME TABLE t TO u;\nALTER TABLE u DROP COLUMN x;`)).toEqual({ index: 2, why: 'u has no column x' });
    expect(at(`${t}INSERT INTO t SELECT * FROM v ORDER BY a\nRENAME TABLE t TO u;`)).toEqual({
      index: 1,
      why: 'no ; before the RENAME TABLE at line 3, a syntax error',
    });
  });

  it('splits at semicolons outside comments and strings, as clickhouse-client does', () => {
    const s = splitClickHouse(
      "-- a; b\nSELECT ';' FROM t;\nRENAME TABLE a TO b; /* DROP TABLE c; */ ALTER TABLE t ADD COLUMN x String",
    );
    expect(s).toEqual([
      { line: 2, text: "SELECT ';' FROM t" },
      { line: 3, text: 'RENAME TABLE a TO b' },
      { line: 3, text: 'ALTER TABLE t ADD COLUMN x String' },
    ]);
  });
  it('marks a statement that runs into the next with no `;`, and nothing that continues a statement', () => {
    const runs = (sql: string) => splitClickHouse(sql).map((x) => x.runsInto && { line: x.runsInto.line, what: x.runsInto.what });
    // invalid: a line that starts a statement after a complete one
    expect(runs('INSERT INTO t SELECT * FROM u\nORDER BY a, b\n\n-- swap\nRENAME TABLE t TO t_old;\nRENAME TABLE u TO t;')).toEqual([
      { line: 5, what: 'RENAME TABLE' },
      undefined,
    ]);
    expect(splitClickHouse('SELECT 1\n-- next\nDROP  TABLE  T;')[0]!.runsInto).toEqual({ line: 3, what: 'DROP TABLE', next: 'drop table t' });
    expect(runs('alter table e\nupdate s = n\nwhere d = 2\n\n  alter table e\nupdate s = m\nwhere d = 4')).toEqual([
      { line: 5, what: 'ALTER TABLE' },
    ]);
    expect(runs("CREATE TABLE q (a UInt8) ENGINE = Kafka SETTINGS f = 'x'\nCREATE MATERIALIZED VIEW v TO t AS SELECT a FROM q;")).toEqual([
      { line: 2, what: 'CREATE MATERIALIZED VIEW' },
    ]);
    // valid: ALTER commands, clauses, a statement inside parentheses or a string, the first statement of the file
    expect(runs('ALTER TABLE t\n  ADD COLUMN a String,\n  DROP COLUMN b,\n  RENAME COLUMN c TO d;\nINSERT INTO t\nSELECT * FROM u;')).toEqual([undefined, undefined]);
    expect(runs("CREATE TABLE t (\n  a UInt8\n)\nENGINE = MergeTree ORDER BY a\nAS\nSELECT 'x\nDROP TABLE y' AS a;")).toEqual([undefined]);
    expect(runs('\n\nCREATE TABLE t (a UInt8) ENGINE = Log;\n\nDROP TABLE u;')).toEqual([undefined, undefined]);
  });
  it('classes each command of an ALTER, and what it does not know as unknown', () => {
    expect(classifyClickHouse('ALTER TABLE t ADD COLUMN a String, DROP COLUMN b').map((o) => o.kind)).toEqual([
      'expand',
      'destroy',
    ]);
    expect(classifyClickHouse('ALTER TABLE t MODIFY TTL created_at + INTERVAL 1 DAY')[0]!.kind).toBe('destroy');
    expect(classifyClickHouse('ALTER TABLE t FROBNICATE x')[0]!.kind).toBe('unknown');
    expect(classifyClickHouse('ATTACH TABLE t')[0]!.kind).toBe('unknown');
  });
});
