import { describe, expect, it } from 'vitest';
import { redactSqlError, redactSqlLiterals, redactUrl, redactUrls } from './redact.js';

describe('redact', () => {
  it.each([
    ['https://user:ghp_token@github.com/org/repo.git', 'https://***@github.com/org/repo.git'],
    ['https://token@github.com/org/repo.git', 'https://***@github.com/org/repo.git'],
    ['ssh://git@github.com/org/repo.git', 'ssh://git@github.com/org/repo.git'],
    ['https://charts.example/x?token=abc&ref=v1', 'https://charts.example/x?token=***&ref=v1'],
    ['https://github.com/org/repo.git', 'https://github.com/org/repo.git'],
  ])('redactUrl(%j)', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });

  it('redacts URLs inside text and leaves text without one alone', () => {
    expect(redactUrls('source https://bob:pw@git.example/a.git//apps changed')).toBe(
      'source https://***@git.example/a.git//apps changed',
    );
    expect(redactUrls('no url: a@b')).toBe('no url: a@b');
  });

  it.each([
    ["INSERT INTO users VALUES ('alice', 'hunter2')", "INSERT INTO users VALUES ('***', '***')"],
    ["ALTER ROLE app PASSWORD 'it''s secret'", "ALTER ROLE app PASSWORD '***'"],
    ["SELECT E'a\\'b', 1", "SELECT E'***', 1"],
    ["DO $body$ BEGIN PERFORM 'x'; END $body$", 'DO $$***$$'],
    [
      'CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql',
      'CREATE FUNCTION f() RETURNS int AS $$***$$ LANGUAGE sql',
    ],
    ['UPDATE t SET n = 2 WHERE "Name" = \'x', 'UPDATE t SET n = 2 WHERE "Name" = \'***\''],
  ])('redactSqlLiterals(%j)', (sql, expected) => {
    expect(redactSqlLiterals(sql)).toBe(expected);
  });

  it('removes the values PostgreSQL quotes in its errors', () => {
    expect(redactSqlError('invalid input syntax for type integer: "4111-1111"')).toBe(
      'invalid input syntax for type integer: "***"',
    );
    expect(
      redactSqlError('duplicate key value violates unique constraint "u"; Key (email)=(a@b.example) already exists.'),
    ).toBe('duplicate key value violates unique constraint "u"; Key (email)=(***) already exists.');
    expect(redactSqlError('column "coupon_id" of relation "orders" already exists')).toBe(
      'column "coupon_id" of relation "orders" already exists',
    );
  });
});
