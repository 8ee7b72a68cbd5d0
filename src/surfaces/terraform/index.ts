import type { Surface } from '../../core/surface.js';
import { assessConfiguration } from './context.js';
import { terraformFileKind } from './files.js';
import { configRules, planRules } from './rules/index.js';
import invalidHcl from './rules/invalid-hcl.js';

export const terraform: Surface = {
  id: 'terraform',
  name: 'Terraform and OpenTofu',
  summary:
    'Configuration changes (.tf, .tofu, lock files, backends), state files and state operations in scripts, and plan JSON: what each change does to real infrastructure.',
  claims: (path) => terraformFileKind(path) !== undefined,
  rules: [invalidHcl, ...configRules, ...planRules],
  assess: (ctx) => assessConfiguration(ctx),
};
