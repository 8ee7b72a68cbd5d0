/**
 * The folder's end states, checked on PostgreSQL (PGlite): for each shape, a database that applied the
 * old folder (then the new migrations it has not recorded) and a new database that runs the folder at
 * head are built for real, and their catalogs (columns with type, nullability and whether they have a default, indexes
 * with their definitions) compared; the model must find a difference exactly when the catalogs differ.
 */
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareEndStates, EndState } from './folder-effect.js';
import { loadPgParser, parsePostgres } from './sql/postgres.js';

type Folder = Array<[id: string, text: string]>;

const CATALOG = `
SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || coalesce('(' || character_maximum_length || ')', '') || ' ' || is_nullable || ' ' || (column_default IS NOT NULL) AS x
  FROM information_schema.columns WHERE table_schema = 'public'
UNION ALL SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
ORDER BY 1`;

/** The catalog a run of migrations leaves, on an emptied public schema of one PGlite database. */
async function catalog(db: PGlite, folder: Folder): Promise<string[]> {
  await db.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
  for (const [, text] of folder) await db.exec(text);
  return (await db.query<{ x: string }>(CATALOG)).rows.map((r) => r.x);
}

const SITE = 'CREATE TABLE "website" ("website_id" UUID NOT NULL, "name" VARCHAR(100) NOT NULL, "legacy" TEXT, CONSTRAINT "website_pkey" PRIMARY KEY ("website_id"));';
const SHAPES: Array<{ name: string; base: Folder; head: Folder }> = [
  {
    name: 'later migrations folded into the first one and deleted',
    base: [
      ['01', SITE],
      ['02', 'ALTER TABLE "website" ADD COLUMN "share_id" VARCHAR(50);\nCREATE UNIQUE INDEX "website_share_id_key" ON "website"("share_id");'],
      ['03', 'ALTER TABLE "website" ALTER COLUMN "name" SET DATA TYPE VARCHAR(200);\nALTER TABLE "website" DROP COLUMN "legacy";\nALTER TABLE "website" RENAME COLUMN "share_id" TO "share_code";'],
    ],
    head: [
      ['01', 'CREATE TABLE "website" ("website_id" UUID NOT NULL, "name" VARCHAR(200) NOT NULL, "share_code" VARCHAR(50), CONSTRAINT "website_pkey" PRIMARY KEY ("website_id"));\nCREATE UNIQUE INDEX "website_share_id_key" ON "website"("share_code");'],
    ],
  },
  {
    name: 'the fold keeps a column a deleted migration dropped',
    base: [
      ['01', SITE],
      ['02', 'ALTER TABLE "website" DROP COLUMN "legacy";'],
    ],
    head: [['01', SITE]],
  },
  {
    name: 'a column moved from a later migration into an earlier CREATE TABLE',
    base: [
      ['11', 'CREATE TABLE "segment" ("segment_id" UUID NOT NULL, "name" VARCHAR(200) NOT NULL);'],
      ['13', 'ALTER TABLE "segment" ADD COLUMN "type" VARCHAR(200) NOT NULL;'],
    ],
    head: [
      ['11', 'CREATE TABLE "segment" ("segment_id" UUID NOT NULL, "type" VARCHAR(200) NOT NULL, "name" VARCHAR(200) NOT NULL);'],
      ['13', 'SELECT 1;'],
    ],
  },
  {
    name: 'an index created and dropped again removed from both migrations; a dropped column takes its index',
    base: [
      ['15', 'CREATE TABLE "share" ("share_id" UUID NOT NULL, "slug" TEXT, CONSTRAINT "share_pkey" PRIMARY KEY ("share_id"));\nCREATE UNIQUE INDEX "share_share_id_key" ON "share"("share_id");\nCREATE INDEX "share_slug_idx" ON "share"("slug");'],
      ['17', 'DROP INDEX "share_share_id_key";\nALTER TABLE "share" DROP COLUMN "slug";'],
    ],
    head: [
      ['15', 'CREATE TABLE "share" ("share_id" UUID NOT NULL, CONSTRAINT "share_pkey" PRIMARY KEY ("share_id"));'],
      ['17', 'SELECT 1;'],
    ],
  },
  {
    name: 'an index renamed by a deleted migration, folded into the first one under its new name',
    base: [
      ['01', 'CREATE TABLE "event" ("id" UUID NOT NULL, "url" TEXT);\nCREATE INDEX "event_url_index" ON "event"("url");'],
      ['02', '-- RenameIndex\nALTER INDEX "event_url_index" RENAME TO "event_url_idx";'],
    ],
    head: [['01', 'CREATE TABLE "event" ("id" UUID NOT NULL, "url" TEXT);\nCREATE INDEX "event_url_idx" ON "event"("url");']],
  },
  {
    name: 'the fold forgets the rename of the index',
    base: [
      ['01', 'CREATE TABLE "event" ("id" UUID NOT NULL, "url" TEXT);\nCREATE INDEX "event_url_index" ON "event"("url");'],
      ['02', 'ALTER INDEX event_url_index RENAME TO event_url_idx;'],
    ],
    head: [['01', 'CREATE TABLE "event" ("id" UUID NOT NULL, "url" TEXT);\nCREATE INDEX "event_url_index" ON "event"("url");']],
  },
  {
    name: 'an index whose quoted name holds a dot, renamed by a deleted migration and folded under its new name',
    base: [
      ['01', 'CREATE TABLE "account" ("id" UUID NOT NULL, "username" TEXT);\nCREATE UNIQUE INDEX "account.username_unique" ON "account"("username");'],
      ['02', 'ALTER INDEX IF EXISTS "account.username_unique" RENAME TO "account_username_key";'],
    ],
    head: [['01', 'CREATE TABLE "account" ("id" UUID NOT NULL, "username" TEXT);\nCREATE UNIQUE INDEX "account_username_key" ON "account"("username");']],
  },
  {
    name: 'UNIQUE added to a column of an applied CREATE TABLE: only a new database refuses a repeated slug',
    base: [['14', 'CREATE TABLE "link" ("link_id" UUID NOT NULL, "slug" VARCHAR(100) NOT NULL);']],
    head: [['14', 'CREATE TABLE "link" ("link_id" UUID NOT NULL, "slug" VARCHAR(100) UNIQUE NOT NULL);']],
  },
  {
    name: 'an unnamed UNIQUE moved into the CREATE TABLE from the later CREATE UNIQUE INDEX of its default name',
    base: [
      ['14', 'CREATE TABLE "link" ("link_id" UUID NOT NULL, "slug" VARCHAR(100) NOT NULL);'],
      ['15', 'CREATE UNIQUE INDEX "link_slug_key" ON "link"("slug");'],
    ],
    head: [
      ['14', 'CREATE TABLE "link" ("link_id" UUID NOT NULL, "slug" VARCHAR(100) NOT NULL, UNIQUE ("slug"));'],
      ['15', 'SELECT 1;'],
    ],
  },
  {
    name: 'a default removed from an ADD COLUMN of an applied migration: applied databases still fill the column',
    base: [['04', 'CREATE TABLE "team" ("team_id" UUID NOT NULL);\nALTER TABLE "team" ADD COLUMN "deleted_at" TIMESTAMPTZ(6) DEFAULT CURRENT_TIMESTAMP;']],
    head: [['04', 'CREATE TABLE "team" ("team_id" UUID NOT NULL);\nALTER TABLE "team" ADD COLUMN "deleted_at" TIMESTAMPTZ(6);']],
  },
  {
    name: 'a default set by a later migration folded into the CREATE TABLE, one dropped again folded away',
    base: [
      ['01', 'CREATE TABLE "team" ("team_id" UUID NOT NULL, "n" INTEGER NOT NULL, "m" INTEGER DEFAULT 1);'],
      ['02', 'ALTER TABLE "team" ALTER COLUMN "n" SET DEFAULT 0;\nALTER TABLE "team" ALTER COLUMN "m" DROP DEFAULT;'],
    ],
    head: [['01', 'CREATE TABLE "team" ("team_id" UUID NOT NULL, "n" INTEGER NOT NULL DEFAULT 0, "m" INTEGER);']],
  },
  {
    name: 'the edit changes a column type that no later migration touches',
    base: [['01', SITE]],
    head: [['01', SITE.replace('VARCHAR(100)', 'VARCHAR(150)')]],
  },
  {
    name: 'a new migration the applied databases have not recorded runs there too',
    base: [['01', SITE]],
    head: [
      ['01', SITE.replace('"legacy" TEXT, ', '')],
      ['02', 'ALTER TABLE "website" DROP COLUMN IF EXISTS "legacy";'],
    ],
  },
];

describe('the end states of a migration folder, against PostgreSQL', () => {
  let pg: Awaited<ReturnType<typeof loadPgParser>>;
  let db: PGlite;
  beforeAll(async () => {
    [pg, db] = await Promise.all([loadPgParser(), PGlite.create()]);
  }, 60_000);
  afterAll(async () => {
    await db?.close();
  });
  const state = (steps: Folder) => {
    const s = new EndState();
    for (const [id, text] of steps) s.run(id, parsePostgres(pg, text).statements);
    return s;
  };
  for (const shape of SHAPES)
    it(shape.name, async () => {
      const ids = new Set(shape.base.map(([id]) => id));
      const applied: Folder = [...shape.base, ...shape.head.filter(([id]) => !ids.has(id))];
      const a = await catalog(db, applied);
      const b = await catalog(db, shape.head);
      const diffs = compareEndStates(state(applied), state(shape.head));
      expect(diffs.length > 0, JSON.stringify({ diffs, a, b })).toBe(JSON.stringify(a) !== JSON.stringify(b));
    }, 60_000);
});
