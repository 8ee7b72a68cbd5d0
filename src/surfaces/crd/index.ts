import { kubeSurface } from '../../kube/surface.js';
import { isCrd } from './model.js';
import { crdRules } from './rules/index.js';

export const crd = kubeSurface({
  id: 'crd',
  name: 'CustomResourceDefinitions',
  summary:
    'CustomResourceDefinitions compared version by version: served versions removed, storage version moved, schemas tightened, versions added, CRDs deleted.',
  rules: crdRules,
  mentions: 'CustomResourceDefinition',
  select: isCrd,
});
