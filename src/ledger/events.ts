import * as z from 'zod/mini';
import { ROLLBACK_CLASSES } from '../core/classes.js';
import { isIsoTime, parseIsoTime, toIso } from './time.js';
import { DURATION_RE, EVIDENCE_ITEMS, SCORE_STATUSES, TRANSITIONS, type EventType } from '../core/vocabulary.js';

/**
 * The payload schema of every event type, validated once at the edge (`record`, `import`).
 * Objects are strict: a misspelt key (`itme=approval`) is an error, not a silently ignored field.
 * Values given as `--data key=value` arrive as strings; the schemas accept those for lists
 * (one value, or the key repeated) and counts.
 */
const text = z.string().check(
  z.minLength(1, 'must not be empty'),
  z.maxLength(16_384, 'is longer than 16384 characters'),
  z.refine((s) => !s.includes('\u0000'), 'must not contain NUL characters'),
);

/** An ISO 8601 time with a zone, stored as UTC with milliseconds. */
const time = z.pipe(
  z.string().check(z.refine(isIsoTime, 'must be an ISO 8601 time with a zone, e.g. 2026-01-05T09:00:00Z')),
  z.transform((t) => toIso(parseIsoTime(t)!)),
);

const list = z.pipe(
  z.union([text, z.array(text)]),
  z.transform((v) => (Array.isArray(v) ? v : [v])),
);

const count = z.pipe(
  z.union([z.int().check(z.nonnegative()), z.string().check(z.regex(/^\d{1,9}$/, 'must be a whole number'))]),
  z.transform((v) => Number(v)),
);

/** A window: a duration (`48h`, optionally followed by a condition: `2h unless compromise suspected`) or an event condition (`until-contract-phase`). */
const windowValue = z.pipe(
  z.union([text, z.number()]),
  z.pipe(
    z.transform((v: string | number) => String(v).trim()),
    z.string().check(
      z.refine((v) => {
        if (!/^\d/.test(v)) return v.length > 0;
        const first = v.split(/\s+/)[0]!;
        return DURATION_RE.test(first);
      }, 'must be a duration (48h, 7d) or an event condition (until-contract-phase)'),
    ),
  ),
);

const declaration = z.strictObject({
  /** When present, must equal the change id the event is recorded for. */
  id: z.optional(text),
  environment: z.optional(text),
  rollbackClass: z.optional(z.enum(ROLLBACK_CLASSES)),
  rollbackWindow: z.optional(z.union([windowValue, z.record(z.string().check(z.minLength(1)), windowValue)])),
  rollbackMethod: z.optional(text),
  irreversibleEffects: z.optional(list),
  verification: z.optional(list),
  /** Where the declaration was read from (a file path, `trailer:<sha>`). */
  source: z.optional(text),
});

export const PAYLOAD_SCHEMAS = {
  'change.declared': declaration,
  'change.assessed': z.strictObject({
    class: z.enum(ROLLBACK_CLASSES),
    gate: z.optional(z.enum(['passed', 'failed'])),
    findings: z.optional(count),
    base: z.optional(text),
    head: z.optional(text),
    report: z.optional(text),
  }),
  'change.merged': z.strictObject({
    commit: z.optional(text),
    repository: z.optional(text),
    branch: z.optional(text),
    'pull-request': z.optional(text),
  }),
  'change.deployed': z.strictObject({
    /** The artifact deployed: an image digest or a package URL (CDEvents `artifactId`). */
    artifact: z.optional(text),
    version: z.optional(text),
    commit: z.optional(text),
    /** The phase this deployment completes (`contract`): closes windows declared `until-contract-phase`. */
    phase: z.optional(text),
    log: z.optional(text),
  }),
  'incident.detected': z.strictObject({
    /** When the bad state began, if the detector knows; else the change's deployment is used. */
    'started-at': z.optional(time),
    severity: z.optional(text),
    description: z.optional(text),
    source: z.optional(text),
    alert: z.optional(text),
  }),
  'decision.made': z.strictObject({
    transition: z.enum(TRANSITIONS),
    rationale: z.optional(text),
    class: z.optional(z.enum(ROLLBACK_CLASSES)),
    /** Containment steps before the recovery (`pause`, `abort-rollout`...), in order (`rollwright decide`). */
    containment: z.optional(
      z.pipe(
        z.union([z.enum(TRANSITIONS), z.array(z.enum(TRANSITIONS))]),
        z.transform((v) => (Array.isArray(v) ? v : [v])),
      ),
    ),
    /** Facts the decision assumed (nobody stated them). */
    assumptions: z.optional(list),
    /** The playbook (docs/concepts.md#playbooks) the runbook was filled from. */
    playbook: z.optional(text),
    /** The change decided about: a change id, a commit or `base..head`. */
    change: z.optional(text),
    /** The commits assessed for it, oldest first, and where they were found (ledger, trailer, declaration, argument). */
    commits: z.optional(list),
    'commits-source': z.optional(z.enum(['ledger', 'trailer', 'declaration', 'argument'])),
    /** The facts stated (`--fact`) or answered at the prompt, as name: value. */
    facts: z.optional(z.record(z.string().check(z.minLength(1)), text)),
  }),
  'pause.started': z.strictObject({ target: text, controller: z.optional(text), reason: z.optional(text) }),
  'pause.ended': z.strictObject({ target: text, controller: z.optional(text) }),
  'recovery.executed': z.strictObject({
    transition: z.enum(TRANSITIONS),
    /** The rollback or fix commit. */
    commit: z.optional(text),
    /** The artifact now running (digest or package URL). */
    artifact: z.optional(text),
    log: z.optional(text),
  }),
  'recovery.verified': z.strictObject({
    result: z._default(z.enum(['passed', 'failed']), 'passed'),
    checks: z.optional(list),
    metrics: z.optional(text),
  }),
  'evidence.attached': z.strictObject({
    item: z.enum(EVIDENCE_ITEMS),
    /** What proves it: a URL, a commit, a digest, a path. */
    ref: text,
    digest: z.optional(z.string().check(z.regex(/^sha256:[0-9a-f]{64}$/, 'must be sha256:<64 lower-case hex digits>'))),
    note: z.optional(text),
  }),
  'incident.resolved': z.strictObject({ summary: z.optional(text) }),
  'postmortem.action': z.strictObject({
    action: text,
    owner: z.optional(text),
    due: z.optional(text),
    ref: z.optional(text),
  }),
  /** One `rollwright score` run: the status of each checklist item, so that the next run shows its trend. */
  'score.recorded': z.strictObject({
    /** Which repository was scored (its identity: the origin's URL, else its first commit). */
    repository: text,
    /** The commit scored. */
    head: text,
    /** The overall score, 0 to 100; absent when no item could be decided. */
    score: z.optional(count),
    items: z.record(z.string().check(z.minLength(1), z.maxLength(64)), z.enum(SCORE_STATUSES)),
  }),
} satisfies Record<EventType, z.ZodMiniType>;

export type Payload<T extends EventType> = z.infer<(typeof PAYLOAD_SCHEMAS)[T]>;

export type PayloadResult = { ok: true; payload: Record<string, unknown> } | { ok: false; problems: string[] };

/** Validates (and normalises: lists, counts, times) the payload of one event type. */
export function validatePayload(type: EventType, payload: unknown): PayloadResult {
  const r = PAYLOAD_SCHEMAS[type].safeParse(payload);
  if (r.success) return { ok: true, payload: r.data as Record<string, unknown> };
  // zod/mini has no message locale loaded (it is not worth its start-up cost): messages are ours.
  const issues = [...r.error.issues].sort(
    (a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'),
  );
  return { ok: false, problems: issues.map((i) => issueMessage(type, i, payload)) };
}

interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
  values?: unknown[];
  expected?: string;
}

function issueMessage(type: EventType, i: Issue, payload: unknown): string {
  const path = i.path.map(String).join('.');
  const where = path || '(payload)';
  switch (i.code) {
    case 'unrecognized_keys': {
      const keys = i.keys ?? [];
      return `unknown key${keys.length > 1 ? 's' : ''} ${keys.map((k) => JSON.stringify(k)).join(', ')}${path ? ` in ${path}` : ''} (known: ${knownKeys(type).join(', ')})`;
    }
    case 'invalid_value':
      if (valueAt(payload, i.path) === undefined) return `${where}: is required`;
      return `${where}: must be one of ${(i.values ?? []).map(String).join(', ')}`;
    case 'invalid_type':
      if (valueAt(payload, i.path) === undefined) return `${where}: is required`;
      return `${where}: must be ${i.expected === 'array' ? 'a list' : (i.expected ?? 'something else')}`;
    case 'invalid_union':
      return `${where}: has the wrong form (${valueAt(payload, i.path) === undefined ? 'missing' : typeof valueAt(payload, i.path)})`;
    default:
      return `${where}: ${i.message}`;
  }
}

function valueAt(v: unknown, path: readonly PropertyKey[]): unknown {
  let cur = v;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[k];
  }
  return cur;
}

export function knownKeys(type: EventType): string[] {
  return Object.keys((PAYLOAD_SCHEMAS[type] as unknown as { def: { shape: Record<string, unknown> } }).def.shape);
}

/** Which subject an event needs, and what must already be in the ledger. */
export interface SubjectRule {
  /** `none`: the event is about the repository as a whole and takes no subject flags. */
  needs: 'change' | 'incident' | 'change-or-incident' | 'none';
  /** The incident must have been detected already (an `incident.detected` event exists). */
  incidentMustExist: boolean;
  /** The incident must not have been detected yet. */
  incidentMustBeNew?: boolean;
  needsService?: boolean;
  needsEnvironment?: boolean;
}

export const SUBJECT_RULES: Record<EventType, SubjectRule> = {
  'change.declared': { needs: 'change', incidentMustExist: false },
  'change.assessed': { needs: 'change', incidentMustExist: false },
  'change.merged': { needs: 'change', incidentMustExist: false },
  'change.deployed': { needs: 'change', incidentMustExist: false, needsService: true, needsEnvironment: true },
  'incident.detected': { needs: 'incident', incidentMustExist: false, incidentMustBeNew: true },
  'decision.made': { needs: 'incident', incidentMustExist: true },
  'pause.started': { needs: 'change-or-incident', incidentMustExist: true },
  'pause.ended': { needs: 'change-or-incident', incidentMustExist: true },
  'recovery.executed': { needs: 'incident', incidentMustExist: true },
  'recovery.verified': { needs: 'incident', incidentMustExist: true },
  'evidence.attached': { needs: 'change-or-incident', incidentMustExist: true },
  'incident.resolved': { needs: 'incident', incidentMustExist: true },
  'postmortem.action': { needs: 'incident', incidentMustExist: true },
  'score.recorded': { needs: 'none', incidentMustExist: false },
};

/** One line about an event's payload for timelines: the keys that matter, never free text of unknown size. */
export function summarize(type: string, payload: Record<string, unknown>): string {
  const pick = (...keys: string[]) =>
    keys
      .filter((k) => payload[k] !== undefined)
      .map((k) => `${k}=${Array.isArray(payload[k]) ? (payload[k] as unknown[]).join(',') : String(payload[k])}`)
      .join(' ');
  switch (type) {
    case 'change.declared':
      return pick('rollbackClass', 'rollbackMethod') + windowSummary(payload.rollbackWindow);
    case 'change.assessed':
      return pick('class', 'gate', 'findings');
    case 'change.merged':
      return pick('commit', 'branch');
    case 'change.deployed':
      return pick('artifact', 'version', 'phase');
    case 'incident.detected':
      return pick('started-at', 'severity', 'alert');
    case 'decision.made':
      return pick('transition', 'class');
    case 'pause.started':
    case 'pause.ended':
      return pick('target', 'controller');
    case 'recovery.executed':
      return pick('transition', 'commit', 'artifact');
    case 'recovery.verified':
      return pick('result', 'checks');
    case 'evidence.attached':
      return pick('item', 'ref');
    case 'incident.resolved':
      return pick('summary');
    case 'postmortem.action':
      return pick('action', 'owner', 'due');
    case 'score.recorded':
      return pick('score', 'head');
    default:
      return '';
  }
}

function windowSummary(w: unknown): string {
  if (w === undefined) return '';
  if (typeof w === 'string') return ` rollbackWindow=${w}`;
  return ` rollbackWindow={${Object.entries(w as Record<string, string>)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ')}}`;
}
