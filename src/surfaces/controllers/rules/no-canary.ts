import { defineRule } from '../../../core/rule.js';
import type { ObjectsContext } from '../../../kube/objects.js';
import { upgrades } from '../upgrades.js';

export default defineRule<ObjectsContext, 'everywhere'>({
  id: 'no-canary',
  surface: 'controllers',
  class: 'fully-reversible',
  severity: 'warning',
  docs: {
    summary: 'The same controller upgrade goes to several clusters or environments in one change.',
    rationale:
      'A controller upgrade that reaches every cluster at once has no canary: a regression hits all of them together, and the rollback has to be run everywhere while the controllers that would apply it may themselves be broken. Upgrading one cluster first turns the others into the rollback path (a controller upgrade straight to every cluster is a rollback smell). The class is not changed; the blast radius is.',
    fix: 'Split the upgrade: one environment (or one cluster) first, the rest in a later change after it proved healthy.',
    references: [
      'https://fluxcd.io/flux/installation/upgrade/',
      'https://argo-cd.readthedocs.io/en/stable/operator-manual/upgrading/overview/',
    ],
  },
  messages: {
    everywhere:
      '{{controller}} {{what}} moves {{from}} → {{to}} in {{count}} places at once ({{places}}): no cluster goes first',
  },
  check({ changes, report }) {
    const groups = new Map<string, ReturnType<typeof upgrades>>();
    for (const u of upgrades(changes)) {
      const key = `${u.controller}\0${u.what}\0${u.from}\0${u.version}`;
      groups.set(key, [...(groups.get(key) ?? []), u]);
    }
    for (const list of groups.values()) {
      const places = [
        ...new Set(list.map((u) => u.object.scope || u.object.file.split('/').slice(0, -1).join('/') || '.')),
      ].sort();
      if (places.length < 2) continue;
      const u = list[0]!;
      report(
        'everywhere',
        {
          controller: u.controller,
          what: u.what,
          from: u.from,
          to: u.version,
          count: places.length,
          places: places.join(', '),
        },
        { file: u.object.file, line: u.object.yaml.locate(u.object.doc, u.path) },
        { object: u.change.id },
      );
    }
  },
});
