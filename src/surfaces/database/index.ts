import type { Surface } from '../../core/surface.js';
import { assessMigrations, claimsSql } from './context.js';
import { databaseRules } from './rules/index.js';
import clickhouseStatement from './rules/clickhouse-statement.js';
import invalidSql from './rules/invalid-sql.js';
import mysqlReducedCoverage from './rules/mysql-reduced-coverage.js';
import rehearsal from './rules/rehearsal.js';

export const database: Surface = {
  id: 'database',
  name: 'SQL migrations',
  summary:
    'Migrations of golang-migrate, Flyway, sqitch, dbmate, Prisma and plain folders, parsed by the real PostgreSQL parser: expand/contract phases, locks, data loss, down migrations.',
  claims: claimsSql,
  rules: [invalidSql, mysqlReducedCoverage, rehearsal, clickhouseStatement, ...databaseRules],
  assess: (ctx) => assessMigrations(ctx),
};
