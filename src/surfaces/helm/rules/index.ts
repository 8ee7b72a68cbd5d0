import type { Rule } from '../../../core/rule.js';
import type { HelmContext } from '../model.js';
import chartVersionChanged from './chart-version-changed.js';
import crdsChanged from './crds-changed.js';
import dependencyUnpinned from './dependency-unpinned.js';
import hookChanged from './hook-changed.js';
import notRendered from './not-rendered.js';
import valuesPersistence from './values-persistence.js';

export const helmRules: readonly Rule<HelmContext, string>[] = [
  chartVersionChanged,
  crdsChanged,
  dependencyUnpinned,
  hookChanged,
  notRendered,
  valuesPersistence,
];
