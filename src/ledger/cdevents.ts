import type { LedgerEvent } from './chain.js';

/**
 * Ledger events as CDEvents (spec v0.4.1; see README.md in this folder for the sources).
 *
 * | ledger event                                 | CDEvents type                                   |
 * |----------------------------------------------|-------------------------------------------------|
 * | change.merged                                | dev.cdevents.change.merged.0.2.0                |
 * | change.deployed (with artifact=)             | dev.cdevents.service.deployed.0.2.0             |
 * | recovery.executed transition=rollback (artifact=) | dev.cdevents.service.rolledback.0.2.0      |
 * | incident.detected (with an environment)      | dev.cdevents.incident.detected.0.2.0            |
 * | incident.resolved (with an environment)      | dev.cdevents.incident.resolved.0.2.0            |
 * | anything else, or missing a mandatory field  | dev.cdeventsx.rollwright-<subject>.<predicate>.0.1.0 |
 *
 * CDEvents makes `environment` and `artifactId` mandatory for service events and `environment` for
 * incident events; an event without them is exported as a custom `dev.cdeventsx` event rather than
 * as an invalid standard one. Every exported event carries the ledger event whole in
 * `customData.rollwright` (sequence number, hashes, payload), so nothing is lost on the way out.
 */
export const CDEVENTS_SPEC_VERSION = '0.4.1';

export interface CDEvent {
  context: { version: string; id: string; source: string; type: string; timestamp: string; schemaUri?: string };
  subject: { id: string; source: string; type: string; content: Record<string, unknown> };
  customData: { rollwright: Record<string, unknown> };
  customDataContentType: 'application/json';
}

export function cdeventType(e: LedgerEvent): string {
  return mapping(e).type;
}

export function toCDEvent(e: LedgerEvent, ledgerId: string): CDEvent {
  const source = `/rollwright/ledger/${ledgerId}`;
  const m = mapping(e);
  return {
    context: {
      version: CDEVENTS_SPEC_VERSION,
      id: e.id,
      source,
      type: m.type,
      timestamp: e.occurredAt,
      ...(m.custom ? { schemaUri: `https://rollwright.dev/cdevents/${e.type.replace('.', '/')}/0.1.0` } : {}),
    },
    subject: { id: m.subjectId, source, type: m.subjectType, content: m.content },
    customData: {
      rollwright: {
        seq: e.seq,
        type: e.type,
        subject: e.subject,
        occurredAt: e.occurredAt,
        recordedAt: e.recordedAt,
        actor: e.actor,
        payload: e.payload,
        prevHash: e.prevHash,
        hash: e.hash,
      },
    },
    customDataContentType: 'application/json',
  };
}

interface Mapped {
  type: string;
  custom: boolean;
  subjectId: string;
  subjectType: string;
  content: Record<string, unknown>;
}

function mapping(e: LedgerEvent): Mapped {
  const s = e.subject;
  const p = e.payload;
  const env = s.environment !== null ? { environment: { id: s.environment } } : undefined;
  switch (e.type) {
    case 'change.merged':
      if (s.change !== null)
        return standard('dev.cdevents.change.merged.0.2.0', s.change, 'change', {
          ...(typeof p.repository === 'string' ? { repository: { id: p.repository } } : {}),
        });
      break;
    case 'change.deployed':
      if (s.service !== null && env && typeof p.artifact === 'string')
        return standard('dev.cdevents.service.deployed.0.2.0', s.service, 'service', {
          ...env,
          artifactId: p.artifact,
        });
      break;
    case 'recovery.executed':
      if (p.transition === 'rollback' && s.service !== null && env && typeof p.artifact === 'string')
        return standard('dev.cdevents.service.rolledback.0.2.0', s.service, 'service', {
          ...env,
          artifactId: p.artifact,
        });
      break;
    case 'incident.detected':
    case 'incident.resolved':
      if (s.incident !== null && env) {
        const description = e.type === 'incident.detected' ? p.description : p.summary;
        return standard(`dev.cdevents.${e.type}.0.2.0`, s.incident, 'incident', {
          ...env,
          ...(typeof description === 'string' ? { description } : {}),
          ...(s.service !== null ? { service: { id: s.service } } : {}),
        });
      }
      break;
  }
  const [subject, predicate] = e.type.split('.') as [string, string];
  return {
    type: `dev.cdeventsx.rollwright-${subject}.${predicate}.0.1.0`,
    custom: true,
    subjectId: s.incident ?? s.change ?? e.id,
    subjectType: `rollwright-${subject}`,
    content: {
      ...p,
      ...(s.change !== null ? { change: s.change } : {}),
      ...(s.incident !== null ? { incident: s.incident } : {}),
      ...(s.service !== null ? { service: s.service } : {}),
      ...(s.environment !== null ? { environment: s.environment } : {}),
    },
  };
}

function standard(type: string, subjectId: string, subjectType: string, content: Record<string, unknown>): Mapped {
  return { type, custom: false, subjectId, subjectType, content };
}
