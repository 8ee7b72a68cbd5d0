import { describe, expect, it } from 'vitest';
import type { ChangedFile } from '../../../core/change.js';
import { ConfigSchema } from '../../../core/config-schema.js';
import { surfaces } from '../../../registry.js';
import { assessChangeSet } from '../../../testing/engine.js';
import { memoryRepo } from '../../../testing/rule-tester.js';

/** A link added by the change (git mode 120000): its blob is the path it points to. */
const link = (path: string, target: string): ChangedFile => ({
  status: 'added',
  path,
  newText: target,
  newBlob: `link:${path}`,
  symlink: { new: target },
});

interface Case {
  name: string;
  links: ChangedFile[];
  /** Files at head besides the links (the targets, when they are in the repository). */
  head?: Record<string, string>;
}

async function run(c: Case) {
  const head = c.head ?? {};
  const a = await assessChangeSet(
    { base: 'BASE', head: 'HEAD', files: c.links, commits: [] },
    memoryRepo({}, head),
    ConfigSchema.parse({}),
    { surfaces: [...surfaces] },
  );
  return { class: a.class, links: a.findings.filter((f) => f.rule === 'core/symlink'), skipped: a.skipped };
}

const SEED = "const { PrismaClient } = require('@prisma/client');\n";
const MANIFEST = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n';

describe('core/symlink', () => {
  it.each<Case>([
    {
      name: 'a link to a script no surface reads (a Prisma seed.js), outside every environment',
      links: [link('prisma/mysql/seed.js', '../seed.js')],
      head: { 'prisma/seed.js': SEED },
    },
    {
      name: 'a link to a schema file no surface reads',
      links: [link('prisma/postgresql/schema.prisma', '../schema.postgresql.prisma')],
    },
  ])('valid (listed as skipped, not held): $name', async (c) => {
    const r = await run(c);
    expect(r.links).toEqual([]);
    expect(r.class).toBe('fully-reversible');
    for (const l of c.links)
      expect(r.skipped.find((s) => s.file === l.path)?.reason).toMatch(
        new RegExp(`symbolic link to ${l.symlink!.new}`),
      );
  });

  it.each<Case>([
    {
      name: 'a manifest that is a link (kubernetes reads the path)',
      links: [link('k8s/app.yaml', '../common/app.yaml')],
      head: { 'common/app.yaml': MANIFEST },
    },
    {
      name: 'a script link whose target is a migration a surface reads',
      links: [link('scripts/init.js', '../db/migrations/001_init.up.sql')],
    },
    {
      name: 'a script link that leaves the repository',
      links: [link('prisma/seed.js', '../../../etc/seed.js')],
    },
    {
      name: 'an absolute link',
      links: [link('tools/run.js', '/usr/local/bin/run.js')],
    },
    {
      name: 'a link no surface reads, in an environment folder (the default prod paths)',
      links: [link('envs/prod/seed.js', '../../prisma/seed.js')],
    },
  ])('invalid (held as not assessed): $name', async (c) => {
    const r = await run(c);
    expect(r.links.map((f) => [f.file, f.severity])).toEqual(c.links.map((l) => [l.path, 'warning']));
    expect(r.class).toBe('reversible-with-manual-repair');
  });
});
