/**
 * An applied Prisma folder the case tables edit: 01_accounts creates "accounts", 02_s creates "s". In the
 * after tree 02_s is edited: its CREATE TABLE "s" gains columns "b" (INT DEFAULT 1) and "c" (TEXT), on
 * line 1, and `statements` follow from line 2. A database that applied 02_s never runs the new text; a
 * new database runs it right after the CREATE TABLE of an empty "s", while "accounts" comes from 01.
 */
const ACCOUNTS = 'CREATE TABLE "accounts" ("id" INT PRIMARY KEY, "name" TEXT, "n" INT DEFAULT 0);\n';

export function editedApplied(statements: string): { before: Record<string, string>; after: Record<string, string> } {
  return {
    before: {
      'prisma/migrations/01_accounts/migration.sql': ACCOUNTS,
      'prisma/migrations/02_s/migration.sql': 'CREATE TABLE "s" ("id" INT PRIMARY KEY, "a" TEXT);\n',
    },
    after: {
      'prisma/migrations/01_accounts/migration.sql': ACCOUNTS,
      'prisma/migrations/02_s/migration.sql': `CREATE TABLE "s" ("id" INT PRIMARY KEY, "a" TEXT, "b" INT DEFAULT 1, "c" TEXT);\n${statements}`,
    },
  };
}
