/** The bundled example's migrations (examples/gitops): base plus history steps 21-23, as one folder. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pairMigrations, type MigrationPair } from './migrations.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/gitops/', import.meta.url));

export function exampleMigrations(): Record<string, string> {
  const files: Record<string, string> = {};
  const add = (dir: string) => {
    for (const n of readdirSync(dir)) files[`db/migrations/${n}`] = readFileSync(join(dir, n), 'utf8');
  };
  add(join(EXAMPLE, 'base/db/migrations'));
  for (const step of readdirSync(join(EXAMPLE, 'history')).sort())
    if (/^2[1-3]-/.test(step)) add(join(EXAMPLE, 'history', step, 'files/db/migrations'));
  return files;
}

export function examplePairs(): MigrationPair[] {
  return pairMigrations(exampleMigrations());
}

export function exampleQueries(): Array<{ file: string; text: string }> {
  const file = 'db/queries/shop.sql';
  return [{ file, text: readFileSync(join(EXAMPLE, 'base', file), 'utf8') }];
}

/**
 * A sqitch project (the shape of sqitch's own tutorial, flipr): planned so that alphabetical order would
 * be wrong (`flips` requires `users`), with a tag, verify scripts and `BEGIN`/`COMMIT` in the scripts.
 */
export const SQITCH_PLAN = `%syntax-version=1.0.0
%project=flipr
%uri=https://example.com/flipr/

appschema 2024-01-01T00:00:00Z Marge N. <marge@example.com> # Add schema for all flipr objects.
users [appschema] 2024-01-02T00:00:00Z Marge N. <marge@example.com> # Creates table to track our users.
flips [appschema users] 2024-01-03T00:00:00Z Marge N. <marge@example.com> # Adds table for storing flips.
@v1.0 2024-01-04T00:00:00Z Marge N. <marge@example.com> # Tag v1.0.

hashtags [appschema flips] 2024-01-05T00:00:00Z Marge N. <marge@example.com> # Adds table for storing hashtags.
`;

export function sqitchProject(): Record<string, string> {
  return {
    'sqitch.plan': SQITCH_PLAN,
    'deploy/appschema.sql': '-- Deploy flipr:appschema to pg\n\nBEGIN;\n\nCREATE SCHEMA flipr;\n\nCOMMIT;\n',
    'revert/appschema.sql': '-- Revert flipr:appschema from pg\n\nBEGIN;\n\nDROP SCHEMA flipr;\n\nCOMMIT;\n',
    'verify/appschema.sql':
      "-- Verify flipr:appschema on pg\n\nSELECT pg_catalog.has_schema_privilege('flipr', 'usage');\n",
    'deploy/users.sql':
      '-- Deploy flipr:users to pg\n-- requires: appschema\n\nBEGIN;\n\nCREATE TABLE flipr.users (\n    nickname  TEXT        PRIMARY KEY,\n    password  TEXT        NOT NULL,\n    timestamp TIMESTAMPTZ NOT NULL DEFAULT NOW()\n);\n\nCOMMIT;\n',
    'revert/users.sql': 'BEGIN;\n\nDROP TABLE flipr.users;\n\nCOMMIT;\n',
    'verify/users.sql':
      'BEGIN;\n\nSELECT nickname, password, timestamp\n  FROM flipr.users\n WHERE FALSE;\n\nROLLBACK;\n',
    'deploy/flips.sql':
      "BEGIN;\n\nCREATE TABLE flipr.flips (\n    id        BIGSERIAL   PRIMARY KEY,\n    nickname  TEXT        NOT NULL REFERENCES flipr.users(nickname),\n    body      TEXT        NOT NULL DEFAULT '' CHECK ( length(body) <= 180 ),\n    timestamp TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()\n);\n\nCOMMIT;\n",
    'revert/flips.sql': 'BEGIN;\n\nDROP TABLE flipr.flips;\n\nCOMMIT;\n',
    'verify/flips.sql':
      'BEGIN;\n\nSELECT id, nickname, body, timestamp\n  FROM flipr.flips\n WHERE FALSE;\n\nROLLBACK;\n',
    'deploy/hashtags.sql':
      'BEGIN;\n\nCREATE TABLE flipr.hashtags (\n    flip_id   BIGINT      NOT NULL REFERENCES flipr.flips(id),\n    hashtag   TEXT        NOT NULL,\n    PRIMARY KEY (flip_id, hashtag)\n);\n\nCOMMIT;\n',
    'revert/hashtags.sql': 'BEGIN;\n\nDROP TABLE flipr.hashtags;\n\nCOMMIT;\n',
    'verify/hashtags.sql': 'BEGIN;\n\nSELECT flip_id, hashtag\n  FROM flipr.hashtags\n WHERE FALSE;\n\nROLLBACK;\n',
  };
}

/** Prisma migration folders (`prisma migrate dev` output): no down migrations. */
export function prismaMigrations(): Record<string, string> {
  return {
    'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
    'prisma/migrations/20240101120000_init/migration.sql':
      '-- CreateTable\nCREATE TABLE "User" (\n    "id" SERIAL NOT NULL,\n    "email" TEXT NOT NULL,\n    "name" TEXT,\n\n    CONSTRAINT "User_pkey" PRIMARY KEY ("id")\n);\n\n-- CreateIndex\nCREATE UNIQUE INDEX "User_email_key" ON "User"("email");\n',
    'prisma/migrations/20240215093000_add_posts/migration.sql':
      '-- CreateTable\nCREATE TABLE "Post" (\n    "id" SERIAL NOT NULL,\n    "title" TEXT NOT NULL,\n    "authorId" INTEGER NOT NULL,\n\n    CONSTRAINT "Post_pkey" PRIMARY KEY ("id")\n);\n\n-- AddForeignKey\nALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;\n',
  };
}
