import type { AnyRule, Rule } from '../../../core/rule.js';
import type { KustomizeContext } from '../model.js';
import helmChartChanged from './helm-chart-changed.js';
import imageDigestChanged from './image-digest-changed.js';
import namePrefixChanged from './name-prefix-changed.js';
import remoteBaseUnpinned from './remote-base-unpinned.js';
import renderFailed from './render-failed.js';
import selectorLabelsChanged from './selector-labels-changed.js';

/** Rules that read the kustomization files themselves. */
export const staticRules: readonly Rule<KustomizeContext, string>[] = [
  helmChartChanged,
  imageDigestChanged,
  namePrefixChanged,
  remoteBaseUnpinned,
  selectorLabelsChanged,
];

export const kustomizeRules: readonly AnyRule[] = [...staticRules, renderFailed].sort((a, b) => (a.id < b.id ? -1 : 1));
