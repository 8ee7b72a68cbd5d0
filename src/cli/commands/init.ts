import { constants } from 'node:fs';
import { access, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InputError } from '../../core/errors.js';
import { CONFIG_SCHEMA_FILE, SCHEMA_BASE_URL } from '../../core/json-schema.js';
import { parseConfig } from '../../engine/assess.js';
import { allRules } from '../../registry.js';
import { defineCommand } from '../define.js';
import { detectRepository, renderInitConfig } from '../init.js';

export const command = defineCommand({
  name: 'init',
  usage: ['rollwright init [--repo DIR] [--force]'],
  description: `Write a starting .rollwright.yaml for a repository: the surfaces it holds (manifests,
kustomizations, Flux and Argo CD objects, Helm charts, Terraform, migrations by framework) and its
environments (folders such as prod, staging, dev, and the children of clusters/, environments/,
envs/, overlays/), with comments. Its first line points editors at the JSON Schema of the config.
Refuses to overwrite an existing config unless --force.`,
  options: {
    repo: { type: 'string', metavar: 'DIR', defaultText: 'the current directory', description: 'the repository' },
    force: { type: 'boolean', description: 'overwrite an existing .rollwright.yaml' },
    'schema-url': {
      type: 'string',
      metavar: 'URL',
      defaultText: `${SCHEMA_BASE_URL}/${CONFIG_SCHEMA_FILE}`,
      description: 'the JSON Schema the `# yaml-language-server: $schema=` line names',
      details: 'a URL, or a path relative to the config file (such as node_modules/@rollwright/cli/schema/config.schema.json)',
    },
  },
  exitCodes: { 0: 'written', 2: 'usage or input error (a config exists and --force is not given)', 3: 'internal error' },
  async run(opts) {
    const dir = resolve(opts.repo ?? '.');
    const path = join(dir, '.rollwright.yaml');
    for (const name of ['.rollwright.yaml', '.rollwright.yml'])
      if (!opts.force && (await exists(join(dir, name))))
        throw new InputError('the config exists: pass --force to overwrite it', join(dir, name));
    const detected = await detectRepository(dir);
    const text = renderInitConfig(detected, opts.schemaUrl ?? `${SCHEMA_BASE_URL}/${CONFIG_SCHEMA_FILE}`);
    // What init writes must be a config assess accepts.
    await parseConfig(text, '.rollwright.yaml', allRules());
    await writeFile(path, text);
    const lines = [`wrote ${path}`];
    for (const s of detected.surfaces) lines.push(`  ${s.what}: ${s.files}`);
    for (const e of detected.environments)
      lines.push(`  environment ${e.name}: ${e.paths.join(', ')}${e.requireDeclaration ? ' (declaration required)' : ''}`);
    lines.push('Review it, commit it (assess reads it at the head revision), then run `rollwright assess`.');
    return { stdout: lines.join('\n') + '\n', exitCode: 0 };
  },
});

async function exists(p: string): Promise<boolean> {
  try {
    await access(p, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}
