import type { Surface } from '../../core/surface.js';
import { assessFlags } from './context.js';
import { claimsFlagInput, isReferenceOnly } from './paths.js';
import { flagsRules } from './rules/index.js';

export const flags: Surface = {
  id: 'flags',
  name: 'Feature flags',
  summary:
    'OpenFeature flagd flag definitions (files, ConfigMap keys, FeatureFlag objects): default and state changes are the preferred containment; removed flags lose it; flags a change references are named.',
  claims: claimsFlagInput,
  searchesOnly: isReferenceOnly,
  kinds: ['core.openfeature.dev/FeatureFlag'],
  rules: flagsRules,
  assess: (ctx) => assessFlags(ctx),
};
