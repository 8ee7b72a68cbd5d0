import type { KubeObject, ObjectChange } from '../../kube/model.js';
import { controllerVersions, type ControllerVersion } from './model.js';

export interface Upgrade extends ControllerVersion {
  from: string;
  object: KubeObject;
  change: ObjectChange;
}

/** Every controller version that changes between the two sides of an object. */
export function upgrades(changes: readonly ObjectChange[]): Upgrade[] {
  const out: Upgrade[] = [];
  for (const c of changes) {
    if (!c.before || !c.after || !c.bodyChanged) continue;
    const olds = controllerVersions(c.before);
    for (const v of controllerVersions(c.after)) {
      const o = olds.find((x) => x.controller === v.controller && x.what === v.what);
      if (o && o.version !== v.version) out.push({ ...v, from: o.version, object: c.after, change: c });
    }
  }
  return out;
}
