/**
 * A hand-built assessment and rule set shared by the reporter tests: several files, every severity, a
 * declaration, a failing gate, skipped files, a rule without metadata, and a message that needs
 * escaping. Imported by tests only.
 */
import { defineRule, type RuleMeta } from '../core/rule.js';
import { ASSESSMENT_SCHEMA, type Assessment } from '../engine/assess.js';

export const BASE = '0123456789abcdef0123456789abcdef01234567';
export const HEAD = 'fedcba9876543210fedcba9876543210fedcba98';

const volumeDeleted = defineRule<unknown, 'deleted'>({
  id: 'fixture-volume-deleted',
  surface: 'kubernetes',
  class: 'non-recoverable-without-restore',
  severity: 'error',
  docs: {
    summary: 'A volume claim is deleted.',
    rationale: 'The data of a deleted claim is gone unless it was backed up.',
    fix: 'Take a backup, or set `persistentVolumeReclaimPolicy: Retain` first.',
    references: ['https://kubernetes.io/docs/concepts/storage/persistent-volumes/#reclaiming', 'pkg/volume.Delete'],
  },
  messages: { deleted: '{{object}} is deleted; its data goes with it' },
  check() {},
});

const objectDeleted = defineRule<unknown, 'deleted' | 'loadBalancer'>({
  id: 'fixture-object-deleted',
  surface: 'kubernetes',
  class: 'fully-reversible',
  severity: 'info',
  docs: {
    summary: 'A stateless object is deleted.',
    rationale: 'Re-applying the manifest re-creates it.',
  },
  messages: {
    deleted: '{{object}} is deleted; re-applying the previous manifest re-creates it',
    loadBalancer: {
      text: '{{object}} releases its external address',
      class: 'reversible-with-manual-repair',
      severity: 'warning',
    },
  },
  check() {},
});

const binaryFile = defineRule<unknown, 'binary'>({
  id: 'fixture-binary',
  surface: 'core',
  class: 'non-recoverable-without-restore',
  severity: 'error',
  docs: { summary: 'A file is binary.', rationale: 'Unknown is never safe.' },
  unassessed: { reason: '{{path}} is binary and was not read', remedy: 'keep {{path}} as text, or exclude it' },
  messages: { binary: '{{path}} is binary' },
  check() {},
});

/** Rules with metadata; `helm/fixture-undocumented` fires in the fixture but is deliberately absent. */
export const FIXTURE_RULES: readonly RuleMeta[] = [volumeDeleted, objectDeleted, binaryFile];

export function fixtureAssessment(): Assessment {
  return {
    schema: ASSESSMENT_SCHEMA,
    base: BASE,
    head: HEAD,
    class: 'non-recoverable-without-restore',
    unassessed: [
      {
        rule: 'core/fixture-binary',
        file: 'charts/logo.png',
        line: 1,
        reason: 'charts/logo.png is binary and was not read',
        remedy: 'keep charts/logo.png as text, or exclude it',
        holdsClass: true,
      },
    ],
    findings: [
      {
        rule: 'core/fixture-binary',
        surface: 'core',
        class: 'non-recoverable-without-restore',
        severity: 'error',
        message: 'charts/logo.png is binary',
        messageId: 'binary',
        file: 'charts/logo.png',
        line: 1,
        data: { path: 'charts/logo.png' },
        unassessed: {
          reason: 'charts/logo.png is binary and was not read',
          remedy: 'keep charts/logo.png as text, or exclude it',
        },
      },
      {
        rule: 'helm/fixture-undocumented',
        surface: 'helm',
        class: 'reversible-with-compatibility-window',
        severity: 'warning',
        message: 'value `a|b` in <values> changed',
        messageId: 'changed',
        file: 'charts/web/values.yaml',
        line: 7,
        column: 3,
      },
      {
        rule: 'kubernetes/fixture-volume-deleted',
        surface: 'kubernetes',
        class: 'non-recoverable-without-restore',
        severity: 'error',
        message: 'PersistentVolumeClaim prod/data is deleted; its data goes with it',
        messageId: 'deleted',
        file: 'deploy/prod/app.yaml',
        line: 12,
        object: '/PersistentVolumeClaim/prod/data',
        data: { object: 'PersistentVolumeClaim prod/data' },
      },
      {
        rule: 'kubernetes/fixture-object-deleted',
        surface: 'kubernetes',
        class: 'reversible-with-manual-repair',
        severity: 'warning',
        message: 'Service prod/web releases its external address',
        messageId: 'loadBalancer',
        file: 'deploy/prod/app.yaml',
        line: 30,
        column: 9,
        object: '/Service/prod/web',
        data: { object: 'Service prod/web' },
      },
      {
        rule: 'kubernetes/fixture-object-deleted',
        surface: 'kubernetes',
        class: 'fully-reversible',
        severity: 'info',
        message: 'ConfigMap prod/settings is deleted; re-applying the previous manifest re-creates it',
        messageId: 'deleted',
        file: 'deploy/prod/app.yaml',
        line: 104,
        object: '/ConfigMap/prod/settings',
        data: { object: 'ConfigMap prod/settings' },
      },
    ],
    declaration: {
      source: '.rollwright/changes/chg-1.yaml',
      id: 'CHG-1',
      environment: 'prod',
      rollbackClass: 'fully-reversible',
      rollbackWindow: { appImage: '24h', databaseSchema: 'until-contract-phase' },
      rollbackMethod: 'revert-image-digest',
      verification: ['error-rate < 1%'],
    },
    gate: {
      passed: false,
      reasons: [
        'declared class fully-reversible is more optimistic than the evidence: non-recoverable-without-restore (kubernetes/fixture-volume-deleted at deploy/prod/app.yaml:12)',
        '2 error findings: core/fixture-binary at charts/logo.png:1; kubernetes/fixture-volume-deleted at deploy/prod/app.yaml:12',
      ],
    },
    environments: ['prod'],
    skipped: [
      { file: 'README.md', reason: 'no surface reads this kind of file' },
      { file: 'docs/runbook.txt', reason: 'no surface reads this kind of file' },
    ],
    stats: { filesChanged: 6, filesRead: 3, bytesRead: 4096 },
  };
}

/** An assessment with nothing to say: no findings, no declaration, the gate passed. */
export function emptyAssessment(): Assessment {
  return {
    schema: ASSESSMENT_SCHEMA,
    base: BASE,
    head: HEAD,
    class: 'fully-reversible',
    unassessed: [],
    findings: [],
    declaration: null,
    gate: { passed: true, reasons: [] },
    environments: [],
    skipped: [],
    stats: { filesChanged: 0, filesRead: 0, bytesRead: 0 },
  };
}
