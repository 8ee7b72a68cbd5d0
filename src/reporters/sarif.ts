/**
 * `-o sarif`: SARIF 2.1.0 as GitHub code scanning accepts it (docs.github.com, "SARIF support for
 * code scanning"): `$schema`, `version` and one run; `tool.driver` with `name` and `rules[]`, each rule
 * with `id`, `shortDescription.text`, `fullDescription.text` (both at most 1024 characters, never
 * empty), `help.text` (and `help.markdown`, shown instead when present); each result with `ruleId`,
 * `ruleIndex`, `level`, `message.text`, one location whose `artifactLocation.uri` is relative to the
 * repository root, and `partialFingerprints`.
 *
 * Fingerprints: GitHub matches results across runs by `partialFingerprints.primaryLocationLineHash`
 * only, and `upload-sarif` computes it from the text of the line when it is missing, so an edited line
 * would open a new alert. rollwright's findings are about objects, not lines: the fingerprint is a
 * hash of rule, file, object, message id and message data, never the line, so moving or reformatting a
 * manifest keeps its alerts. It is written as `rollwright/v1` (the full hash) and as
 * `primaryLocationLineHash` (`<first 16 hex>:<occurrence>`, the shape GitHub uses) so GitHub uses it.
 */
import { createHash } from 'node:crypto';
import { ROLLBACK_CLASSES, type RollbackClass } from '../core/classes.js';
import type { Finding, MessageData, Severity } from '../core/finding.js';
import { messageSpec, type RuleMeta } from '../core/rule.js';
import type { Assessment } from '../engine/assess.js';
import { bySeverity, keyOf, ruleDocUrl, RULES_DOC_URL, PROJECT_URL, TOOL_VERSION } from './common.js';
import type { ResolvedRenderOptions } from './options.js';
import { ruleDocBody, ruleHelpText, sortRules } from './rules-doc.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const FINGERPRINT_KEY = 'rollwright/v1';
/** GitHub rejects a run with more results than this. */
export const MAX_RESULTS = 25_000;
const MAX_DESCRIPTION = 1024;
const MAX_NAME = 255;

export type SarifLevel = 'error' | 'warning' | 'note';
export const SARIF_LEVEL: Record<Severity, SarifLevel> = { error: 'error', warning: 'warning', info: 'note' };
/** GitHub's `problem.severity` for non-security rules. */
const PROBLEM_SEVERITY: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'recommendation' };

export function renderSarif(a: Assessment, opts: ResolvedRenderOptions): string {
  return sarifLog(
    {
      findings: a.findings,
      automationId: automationId(a),
      properties: {
        base: a.base,
        head: a.head,
        rollbackClass: a.class,
        gate: { passed: a.gate.passed, reasons: a.gate.reasons },
      },
    },
    opts,
  );
}

/** One SARIF run of findings: the rule descriptors, the results, and the run's own properties. */
export function sarifLog(
  run: { findings: readonly Finding[]; automationId: string; properties: Record<string, unknown> },
  opts: ResolvedRenderOptions,
): string {
  const docsUrl = opts.docsUrl ?? RULES_DOC_URL;
  const all = run.findings;

  // Every rule (the rule list should not change between analyses), plus any rule that fired but has no metadata.
  const descriptors = sortRules(opts.rules).map((r) => ruleDescriptor(r, docsUrl));
  const known = new Set(descriptors.map((d) => d.id));
  for (const key of [...new Set(all.map((f) => f.rule))].sort())
    if (!known.has(key))
      descriptors.push(
        unknownRuleDescriptor(
          key,
          all.find((f) => f.rule === key)!,
        ),
      );
  descriptors.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const index = new Map(descriptors.map((d, i) => [d.id, i]));

  const findings = all.length > MAX_RESULTS ? [...all].sort(bySeverity).slice(0, MAX_RESULTS) : all;
  const occurrences = new Map<string, number>();
  const results = findings.map((f) => {
    const fp = fingerprint(f);
    const n = (occurrences.get(fp) ?? 0) + 1;
    occurrences.set(fp, n);
    return {
      ruleId: f.rule,
      ruleIndex: index.get(f.rule)!,
      level: SARIF_LEVEL[f.severity],
      message: { text: f.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: artifactUri(f.file), uriBaseId: '%SRCROOT%' },
            region: {
              startLine: Math.max(1, Math.trunc(f.line) || 1),
              ...(f.column !== undefined && f.column >= 1 ? { startColumn: Math.trunc(f.column) } : {}),
            },
          },
        },
      ],
      partialFingerprints: {
        [FINGERPRINT_KEY]: n === 1 ? fp : `${fp}:${n}`,
        primaryLocationLineHash: `${fp.slice(0, 16)}:${n}`,
      },
      // SARIF 2.1.0 section 3.35: an inline comment is `inSource`, a declaration or config entry `external`.
      ...(f.suppression
        ? {
            suppressions: [
              {
                kind: f.suppression.inSource ? 'inSource' : 'external',
                status: 'accepted',
                justification: f.suppression.reason,
                properties: { rollwright: { kind: f.suppression.kind, source: f.suppression.source } },
              },
            ],
          }
        : {}),
      properties: {
        rollbackClass: f.class,
        messageId: f.messageId,
        ...(f.object !== undefined ? { object: f.object } : {}),
      },
    };
  });

  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'rollwright',
            version: opts.version ?? TOOL_VERSION,
            informationUri: PROJECT_URL,
            rules: descriptors,
          },
        },
        // GitHub takes the category of an analysis from the id up to its last '/': one per environment, so
        // the analyses of prod and staging do not replace each other; the head commit names the run.
        automationDetails: { id: run.automationId },
        originalUriBaseIds: {
          '%SRCROOT%': { description: { text: 'The root of the repository assessed.' } },
        },
        columnKind: 'utf16CodeUnits',
        results,
        properties: {
          ...run.properties,
          ...(all.length > results.length ? { resultsOmitted: all.length - results.length } : {}),
        },
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

interface ReportingDescriptor {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown?: string };
  helpUri?: string;
  defaultConfiguration: { level: SarifLevel };
  properties: { rollbackClass: RollbackClass; tags: string[]; 'problem.severity': string };
}

function ruleDescriptor(r: RuleMeta, docsUrl: string): ReportingDescriptor {
  const key = keyOf(r);
  const classes = new Set<RollbackClass>([r.class]);
  for (const id of Object.keys(r.messages)) classes.add(messageSpec(r, id).class);
  return {
    id: key,
    name: limit(pascal(r.id), MAX_NAME),
    shortDescription: { text: limit(nonEmpty(r.docs.summary, key), MAX_DESCRIPTION) },
    fullDescription: { text: limit(nonEmpty(r.docs.rationale, nonEmpty(r.docs.summary, key)), MAX_DESCRIPTION) },
    help: { text: ruleHelpText(r), markdown: ruleDocBody(r).join('\n') },
    helpUri: ruleDocUrl(key, docsUrl),
    defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
    properties: {
      rollbackClass: r.class,
      tags: ['rollback', r.surface, ...ROLLBACK_CLASSES.filter((c) => classes.has(c))],
      'problem.severity': PROBLEM_SEVERITY[r.severity],
    },
  };
}

function unknownRuleDescriptor(key: string, f: Finding): ReportingDescriptor {
  const text = `Findings of rule ${key} (no documentation registered).`;
  return {
    id: key,
    name: limit(pascal(key.split('/').pop() ?? key), MAX_NAME),
    shortDescription: { text },
    fullDescription: { text },
    help: { text },
    defaultConfiguration: { level: SARIF_LEVEL[f.severity] },
    properties: {
      rollbackClass: f.class,
      tags: ['rollback', f.surface],
      'problem.severity': PROBLEM_SEVERITY[f.severity],
    },
  };
}

/**
 * The identity of a finding across runs: rule, file, object, message id and data (keys sorted), hashed
 * with SHA-256. The line is deliberately left out so moving code does not churn alerts.
 */
export function fingerprint(f: Pick<Finding, 'rule' | 'file' | 'object' | 'messageId' | 'data'>): string {
  const data: MessageData = {};
  for (const k of Object.keys(f.data ?? {}).sort()) data[k] = f.data![k]!;
  const identity = JSON.stringify([f.rule, normalizePath(f.file), f.object ?? '', f.messageId, data]);
  return createHash('sha256').update(identity).digest('hex');
}

function normalizePath(p: string): string {
  return p
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/^\/+/, '');
}

/** A relative URI reference from the repository root: no leading `./` or `/`, each segment percent-encoded. */
/** `rollwright/<environments joined by +>/<head>`, or `rollwright/<head>` when no environment is known. */
export function automationId(a: Pick<Assessment, 'environments' | 'head'>): string {
  const envs = [...a.environments].sort().map((e) => e.replace(/[^A-Za-z0-9._-]/g, '_'));
  return envs.length ? `rollwright/${envs.join('+')}/${a.head}` : `rollwright/${a.head}`;
}

export function artifactUri(file: string): string {
  return normalizePath(file)
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

function pascal(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

function nonEmpty(s: string | undefined, fallback: string): string {
  return s && s.trim() ? s : fallback;
}

function limit(s: string, max: number): string {
  return s.length <= max ? s : s.slice(0, max - 3) + '...';
}
