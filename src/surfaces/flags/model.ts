import type { Location } from '../../core/finding.js';
import { isObject, type Json, type JsonObject } from '../kubernetes/model.js';

/** One flag of a flagd definition. */
export interface Flag {
  key: string;
  state: string;
  defaultVariant: string;
  targeting: string;
}

/** The flags of one source (a file, a ConfigMap key, a FeatureFlag object) at one side. */
export interface FlagSource {
  /** `flags/shop.flagd.json`, or `ConfigMap shop/flags key flags.json`. */
  name: string;
  flags: Map<string, Flag>;
  locate(key: string): Location;
}

export interface FlagsContext {
  sources: Array<{ name: string; before?: FlagSource; after?: FlagSource }>;
}

/** Reads flagd's `flags` object (https://flagd.dev/reference/flag-definitions/). */
export function readFlags(v: Json | undefined): Map<string, Flag> | undefined {
  if (!isObject(v) || !isObject(v.flags)) return undefined;
  const out = new Map<string, Flag>();
  for (const [key, f] of Object.entries(v.flags as JsonObject)) {
    if (!isObject(f) || !isObject(f.variants)) continue;
    out.set(key, {
      key,
      state: typeof f.state === 'string' ? f.state : 'ENABLED',
      defaultVariant: typeof f.defaultVariant === 'string' ? f.defaultVariant : '',
      targeting: f.targeting === undefined ? '' : JSON.stringify(f.targeting),
    });
  }
  return out.size ? out : undefined;
}
