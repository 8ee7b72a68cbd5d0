import type { Location } from '../../../core/finding.js';
import type { RollwrightConfig } from '../../../core/config.js';
import type { Position } from './json-stream.js';

/**
 * The parts of a plan JSON (`terraform show -json PLAN`, `tofu show -json PLAN`) that the plan rules
 * read, kept compact: one resource change is a full object only while it is being read; afterwards
 * only its address, actions, reasons and, for the few types whose rules read attributes, its values.
 */
export interface PlanChange {
  address: string;
  previousAddress?: string;
  moduleAddress?: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  /** Provider source address (`registry.terraform.io/hashicorp/aws`). */
  provider: string;
  /** Set for a deposed object (an old object left by an interrupted create-before-destroy). */
  deposed?: string;
  actions: string[];
  actionReason?: string;
  /** Paths of attributes that force the replacement. */
  replacePaths?: Array<Array<string | number>>;
  importing?: { id?: string };
  /** Values, only for types some rule reads attributes of (see `ATTRIBUTE_TYPES`); sensitive masks included. */
  values?: ChangeValues;
  /** Top-level attribute names whose value differs between before and after (drift entries only). */
  changedAttributes?: string[];
  position: Position;
}

export interface ChangeValues {
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  beforeSensitive?: unknown;
  afterSensitive?: unknown;
}

export interface OutputChange {
  name: string;
  actions: string[];
  sensitive: boolean;
  position: Position;
}

export interface PlanModel {
  /** The plan file as named on the command line (or in the repository). */
  file: string;
  formatVersion: string;
  terraformVersion?: string;
  changes: PlanChange[];
  drift: PlanChange[];
  outputs: OutputChange[];
  /** Changes Terraform deferred to a later plan (`deferred_changes`). */
  deferred: number;
  errored?: boolean;
  complete?: boolean;
  applyable?: boolean;
  bytes: number;
  /** Dependents of a resource (config address, no instance keys), from configuration references and prior state, sorted. */
  dependents(configAddress: string): string[];
  /** The same, unsorted, one at a time (a blast radius can reach every resource of a large plan). */
  eachDependent(configAddress: string, visit: (address: string) => void): void;
}

/** What plan rules receive. */
export interface PlanContext {
  plan: PlanModel;
  config: RollwrightConfig;
  /** Where a change is in the plan file. */
  at(item: { position: Position }): Location;
  /** The resources in this plan that depend on a change's resource, with their actions (memoised). */
  blast(change: PlanChange): Blast;
}

export interface Blast {
  /** How many resources of this plan depend on it (through references or recorded dependencies). */
  count: number;
  /** The first of them by address in each group (deleted, re-created, updated, unchanged), sorted. */
  addresses: string[];
  /** `; replacing it also re-creates 3 dependents (a, b, c)` or empty: ready to append to a message. */
  text: string;
}

/** The supported format: any 1.x (`terraform show -json` writes 1.0 to 1.2 as of Terraform 1.11). */
export const SUPPORTED_FORMAT = /^1\.\d+$/;

const DELETE = 'delete';

export function isReplace(actions: readonly string[]): boolean {
  return actions.length === 2 && actions.includes(DELETE) && (actions.includes('create') || actions.includes('forget'));
}

export function deletes(actions: readonly string[]): boolean {
  return actions.includes(DELETE);
}

export function isNoop(actions: readonly string[]): boolean {
  return actions.length === 1 && actions[0] === 'no-op';
}

/** `["delete","create"]` -> `replace (delete, then create)`. */
export function actionsText(actions: readonly string[]): string {
  const key = actions.join(',');
  switch (key) {
    case 'delete,create':
      return 'replace (delete, then create)';
    case 'create,delete':
      return 'replace (create, then delete)';
    case 'create,forget':
      return 'replace (create, then forget the old object)';
    case 'no-op':
      return 'no change';
    default:
      return actions.join(', ');
  }
}

/** `module.a[0].aws_x.y["k"]` -> `module.a.aws_x.y`: the configuration address of an instance address. */
export function configAddress(address: string): string {
  if (!address.includes('[')) return address;
  let out = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < address.length; i++) {
    const c = address[i]!;
    if (depth > 0) {
      if (quoted) {
        if (c === '\\') i++;
        else if (c === '"') quoted = false;
      } else if (c === '"') quoted = true;
      else if (c === '[') depth++;
      else if (c === ']') depth--;
      continue;
    }
    if (c === '[') {
      depth = 1;
      continue;
    }
    out += c;
  }
  return out;
}
