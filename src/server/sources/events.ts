import { EVENT_TYPES, isEventType } from '../../core/vocabulary.js';
import {
  atMost,
  clip,
  defined,
  invalid,
  obj,
  optObj,
  optStr,
  optTime,
  str,
  type Draft,
  type MapOptions,
  type Mapped,
} from './draft.js';

/**
 * `POST /api/v1/events`: one event or a list of at most 1,000, each either a CDEvent (it has a
 * `context`) or an event of rollwright's own vocabulary (`type`, subject fields, `payload`).
 *
 * | CDEvent (`context.type` prefix)         | ledger                                                                    |
 * |-----------------------------------------|---------------------------------------------------------------------------|
 * | `dev.cdevents.service.deployed.`        | `change.deployed`: change = `artifactId`, service = `subject.id`, environment = `environment.id`, `artifact` |
 * | `dev.cdevents.service.rolledback.`      | `recovery.executed transition=rollback artifact=<artifactId>` for the service's open incident in that environment |
 * | `dev.cdevents.incident.detected.`       | `incident.detected`: incident = `subject.id`, `environment.id`, `service.id`, `description`; the change is the service's latest deployment |
 * | `dev.cdevents.incident.resolved.`       | `incident.resolved`, `summary` = `description`                            |
 * | any type carrying `customData.rollwright` (rollwright's own export) | that event, as exported                        |
 * | other types                             | not recorded (ignored, with the type)                                     |
 *
 * Times are `context.timestamp`. Delivery key: `context.source` and `context.id` (unique per source
 * by the CDEvents spec). A rollwright event is keyed by its `id`, or the request's `Idempotency-Key`.
 */
export function mapEvents(body: unknown, opts: MapOptions, idempotencyKey: string | undefined, actor: string): Mapped {
  const list = Array.isArray(body) ? body : [body];
  if (list.length === 0) throw invalid('events', '(body)', 'the list is empty');
  if (list.length > 1000) throw invalid('events', '(body)', `${list.length} events in one request; at most 1000`);
  const out: Mapped = { drafts: [], ignored: [] };
  list.forEach((item, i) => {
    const at = Array.isArray(body) ? `[${i}]` : '(body)';
    const e = obj(item, 'events', at);
    const m =
      'context' in e
        ? mapCDEvent(e, at, opts)
        : mapOwn(e, at, opts, idempotencyKey && list.length === 1 ? idempotencyKey : undefined, actor);
    out.drafts.push(...m.drafts);
    out.ignored.push(...m.ignored);
  });
  return out;
}

const S = 'cdevents';

function mapCDEvent(e: Record<string, unknown>, at: string, opts: MapOptions): Mapped {
  const p = (f: string) => (at === '(body)' ? f : `${at}.${f}`);
  const ctx = obj(e.context, S, p('context'));
  const id = str(ctx.id, S, p('context.id'));
  const source = str(ctx.source, S, p('context.source'));
  const type = str(ctx.type, S, p('context.type'));
  const time = optTime(ctx.timestamp, S, p('context.timestamp'));
  const subject = obj(e.subject, S, p('subject'));
  const content = optObj(subject.content, S, p('subject.content'));
  const key = `cdevents:${source}:${id}`;
  const out: Mapped = { drafts: [], ignored: [] };
  const custom = optObj(optObj(e.customData, S, p('customData')).rollwright, S, p('customData.rollwright'));
  if (typeof custom.type === 'string') {
    out.drafts.push(ownDraft(custom, p('customData.rollwright'), opts, key, undefined, S));
    return out;
  }
  const env = optStr(
    optObj(content.environment, S, p('subject.content.environment')).id,
    S,
    p('subject.content.environment.id'),
  );
  const when = time ? { at: atMost(time, opts.now)! } : {};
  if (type.startsWith('dev.cdevents.service.deployed.') || type.startsWith('dev.cdevents.service.rolledback.')) {
    const service = str(subject.id, S, p('subject.id'));
    const artifact = str(content.artifactId, S, p('subject.content.artifactId'));
    if (env === undefined) throw invalid(S, p('subject.content.environment.id'), 'is required');
    if (type.startsWith('dev.cdevents.service.deployed.'))
      out.drafts.push({
        key,
        record: {
          type: 'change.deployed',
          change: artifact,
          service,
          environment: env,
          ...when,
          actor: 'cdevents',
          payload: { artifact },
        },
      });
    else
      out.drafts.push({
        key,
        incidentFromService: true,
        record: {
          type: 'recovery.executed',
          service,
          environment: env,
          ...when,
          actor: 'cdevents',
          payload: { transition: 'rollback', artifact },
        },
      });
    return out;
  }
  if (type.startsWith('dev.cdevents.incident.detected.') || type.startsWith('dev.cdevents.incident.resolved.')) {
    const incident = str(subject.id, S, p('subject.id'));
    const service = optStr(
      optObj(content.service, S, p('subject.content.service')).id,
      S,
      p('subject.content.service.id'),
    );
    const description = clip(optStr(content.description, S, p('subject.content.description')));
    if (type.startsWith('dev.cdevents.incident.detected.')) {
      if (env === undefined) throw invalid(S, p('subject.content.environment.id'), 'is required');
      out.drafts.push({
        key,
        changeFromDeployment: service !== undefined,
        record: {
          type: 'incident.detected',
          incident,
          ...(service ? { service } : {}),
          environment: env,
          ...when,
          actor: 'cdevents',
          payload: defined({ description, source: clip(source) }),
        },
      });
    } else
      out.drafts.push({
        key,
        skipUnknownIncident: true,
        record: {
          type: 'incident.resolved',
          incident,
          ...when,
          actor: 'cdevents',
          payload: defined({ summary: description }),
        },
      });
    return out;
  }
  out.ignored.push({ reason: `CDEvent type ${type.slice(0, 120)} is not recorded` });
  return out;
}

function mapOwn(
  e: Record<string, unknown>,
  at: string,
  opts: MapOptions,
  idemKey: string | undefined,
  actor: string,
): Mapped {
  const id = optStr(e.id, 'events', at === '(body)' ? 'id' : `${at}.id`);
  const key = id !== undefined ? `events:${id}` : idemKey !== undefined ? `events:idempotency:${idemKey}` : undefined;
  return { drafts: [ownDraft(e, at, opts, key, actor, 'events')], ignored: [] };
}

/** An event in rollwright's vocabulary: `{type, change, incident, service, environment, at, actor, payload}`. */
function ownDraft(
  e: Record<string, unknown>,
  at: string,
  opts: MapOptions,
  key: string | undefined,
  actor: string | undefined,
  source: string,
): Draft {
  const f = (name: string) => (at === '(body)' ? name : `${at}.${name}`);
  const known = new Set([
    'id',
    'type',
    'change',
    'incident',
    'service',
    'environment',
    'at',
    'occurredAt',
    'actor',
    'payload',
    'subject',
    'seq',
    'recordedAt',
    'prevHash',
    'hash',
  ]);
  for (const k of Object.keys(e))
    if (!known.has(k))
      throw invalid(
        source,
        f(k),
        `unknown field (known: type, change, incident, service, environment, at, actor, payload, id)`,
      );
  const type = str(e.type, source, f('type'));
  if (!isEventType(type))
    throw invalid(source, f('type'), `unknown event type; the event types are: ${EVENT_TYPES.join(', ')}`);
  // An exported event carries its subject as an object; a posted one as flat fields.
  const subject = optObj(e.subject, source, f('subject'));
  const pick = (name: 'change' | 'incident' | 'service' | 'environment') =>
    optStr(e[name] ?? subject[name], source, f(name));
  const when = optTime(e.at ?? e.occurredAt, source, f('at'));
  const payload = optObj(e.payload, source, f('payload'));
  const change = pick('change');
  const incident = pick('incident');
  const service = pick('service');
  const environment = pick('environment');
  const who = optStr(e.actor, source, f('actor')) ?? actor ?? source;
  const draft: Draft = {
    key: key ?? '',
    record: {
      type,
      ...(change !== undefined ? { change } : {}),
      ...(incident !== undefined ? { incident } : {}),
      ...(service !== undefined ? { service } : {}),
      ...(environment !== undefined ? { environment } : {}),
      ...(when !== undefined ? { at: atMost(when, opts.now)! } : {}),
      actor: who,
      payload,
    },
  };
  return draft;
}
