import { describe, expect, it } from 'vitest';
import type { SurfaceContext } from '../../core/surface.js';
import { memoryRepo } from '../../testing/rule-tester.js';
import { basePrismaSchema, readPrismaModels, unmapped } from './prisma-schema.js';

const USER = [
  'datasource db {',
  '  provider = "postgresql"',
  '  schemas  = ["auth", "public"]',
  '}',
  'model User {',
  '  id       String   @id @map("user_id") @db.Uuid // the key',
  '  email    String   @unique',
  '  name     String?  @map(name: "display_name")',
  '  role     Role     @default(USER)',
  '  posts    Post[]',
  '  @@map(name: "users")',
  '  @@schema("auth")',
  '}',
  'enum Role {',
  '  USER',
  '  ADMIN',
  '}',
].join('\n');
const POST = [
  'model Post {',
  '  id       Int      @id',
  '  author   User     @relation(fields: [authorId], references: [id])',
  '  authorId String   @map("author_id")',
  '  @@index([authorId],',
  '    map: "post_author_idx")',
  '}',
].join('\n');

describe('readPrismaModels', () => {
  it('maps each model to its table (@@map, @@schema, else its name) and its scalar fields to their columns (@map, else the name); relation fields have no column', () => {
    expect(readPrismaModels([USER, POST])).toEqual(
      new Map([
        ['auth.users', new Set(['user_id', 'email', 'display_name', 'role'])],
        ['Post', new Set(['id', 'author_id'])],
      ]),
    );
  });

  it('a column is unmapped only on a table the schema models; names compare without case too', () => {
    const schema = { path: 'prisma/schema.prisma', tables: readPrismaModels([USER, POST]) };
    expect(unmapped(schema, 'Post', 'body')).toBe(true);
    expect(unmapped(schema, 'post', 'body')).toBe(true);
    expect(unmapped(schema, 'Post', 'AUTHOR_ID')).toBe(false);
    expect(unmapped(schema, 'Post', 'author')).toBe(true);
    expect(unmapped(schema, 'comment', 'body')).toBe(false);
  });
});

describe('basePrismaSchema', () => {
  const ctx = (base: Record<string, string>) => ({ repo: memoryRepo(base, base) }) as unknown as SurfaceContext;

  it('reads the schema next to the migrations folder at the base, or the .prisma files of a multi-file schema; none elsewhere', async () => {
    const single = await basePrismaSchema(ctx({ 'db/postgresql/schema.prisma': POST }), 'db/postgresql/migrations');
    expect(single?.path).toBe('db/postgresql/schema.prisma');
    expect([...single!.tables.keys()]).toEqual(['Post']);
    const multi = await basePrismaSchema(
      ctx({ 'prisma/models/user.prisma': USER, 'prisma/models/post.prisma': POST, 'prisma/main.prisma': 'generator client {\n}' }),
      'prisma/migrations',
    );
    expect(multi?.path).toBe('prisma/*.prisma');
    expect([...multi!.tables.keys()].sort()).toEqual(['Post', 'auth.users']);
    expect(await basePrismaSchema(ctx({ 'other/schema.prisma': POST }), 'prisma/migrations')).toBeUndefined();
    expect(await basePrismaSchema(ctx({ 'prisma/schema.prisma': POST }), 'prisma/sql')).toBeUndefined();
  });
});
