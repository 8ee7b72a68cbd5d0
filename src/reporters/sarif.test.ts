import { describe, expect, it } from 'vitest';
import type { Finding } from '../core/finding.js';
import { BASE, emptyAssessment, fixtureAssessment, FIXTURE_RULES, HEAD } from './fixtures.js';
import { render } from './index.js';
import { artifactUri, automationId, fingerprint, FINGERPRINT_KEY, MAX_RESULTS, SARIF_SCHEMA } from './sarif.js';

const DOCS = 'https://example.test/rules.md';

// A loose view of the SARIF we emit, enough to walk it in assertions.
interface Sarif {
  $schema: string;
  version: string;
  runs: Array<{
    tool: { driver: { name: string; version: string; informationUri: string; rules: any[] } };
    automationDetails: { id: string };
    originalUriBaseIds: Record<string, unknown>;
    results: any[];
    properties: Record<string, any>;
  }>;
}

function sarif(a = fixtureAssessment(), version = '1.2.3'): Sarif {
  return JSON.parse(render(a, 'sarif', { color: false, rules: FIXTURE_RULES, docsUrl: DOCS, version }));
}

const byMessageId = (s: Sarif, id: string) => s.runs[0]!.results.filter((r) => r.properties.messageId === id);

describe('sarif reporter', () => {
  it('writes the sarifLog, run and driver fields GitHub code scanning requires', () => {
    const s = sarif();
    expect(s.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(SARIF_SCHEMA).toBe(s.$schema);
    expect(s.version).toBe('2.1.0');
    expect(s.runs).toHaveLength(1);
    const run = s.runs[0]!;
    expect(run.tool.driver).toMatchObject({
      name: 'rollwright',
      version: '1.2.3',
      informationUri: 'https://github.com/rollwright/rollwright',
    });
    expect(Object.keys(run.originalUriBaseIds)).toEqual(['%SRCROOT%']);
    expect(run.properties).toEqual({
      base: BASE,
      head: HEAD,
      rollbackClass: 'non-recoverable-without-restore',
      gate: { passed: false, reasons: fixtureAssessment().gate.reasons },
    });
  });

  it('names the analysis per environment in automationDetails (GitHub: the category is the id up to its last /)', () => {
    const a = fixtureAssessment();
    const s = sarif({ ...a, environments: ['staging', 'prod'] });
    expect(s.runs[0]!.automationDetails).toEqual({ id: `rollwright/prod+staging/${HEAD}` });
    expect(sarif({ ...a, environments: [] }).runs[0]!.automationDetails.id).toBe(`rollwright/${HEAD}`);
    expect(automationId({ environments: ['eu/prod'], head: HEAD })).toBe(`rollwright/eu_prod/${HEAD}`);
  });

  it('describes every rule, plus rules that fired without metadata, sorted by id', () => {
    const rules = sarif().runs[0]!.tool.driver.rules;
    expect(rules.map((r) => r.id)).toEqual([
      'core/fixture-binary',
      'helm/fixture-undocumented',
      'kubernetes/fixture-object-deleted',
      'kubernetes/fixture-volume-deleted',
    ]);
    for (const r of rules) {
      for (const field of ['shortDescription', 'fullDescription', 'help'] as const) {
        expect(typeof r[field].text, `${r.id} ${field}`).toBe('string');
        expect(r[field].text.trim(), `${r.id} ${field}`).not.toBe('');
      }
      expect(r.shortDescription.text.length).toBeLessThanOrEqual(1024);
      expect(r.fullDescription.text.length).toBeLessThanOrEqual(1024);
      expect(r.name.length).toBeLessThanOrEqual(255);
      expect(['error', 'warning', 'note']).toContain(r.defaultConfiguration.level);
    }
    const volume = rules[3]!;
    expect(volume).toMatchObject({
      id: 'kubernetes/fixture-volume-deleted',
      name: 'FixtureVolumeDeleted',
      shortDescription: { text: 'A volume claim is deleted.' },
      fullDescription: { text: 'The data of a deleted claim is gone unless it was backed up.' },
      helpUri: `${DOCS}#kubernetes-fixture-volume-deleted`,
      defaultConfiguration: { level: 'error' },
      properties: {
        rollbackClass: 'non-recoverable-without-restore',
        tags: ['rollback', 'kubernetes', 'non-recoverable-without-restore'],
        'problem.severity': 'error',
      },
    });
    expect(volume.help.text).toContain('Fix: Take a backup');
    expect(volume.help.markdown).toContain('**Fix.** Take a backup');
    expect(volume.help.markdown).toContain(
      '- <https://kubernetes.io/docs/concepts/storage/persistent-volumes/#reclaiming>',
    );
    // A rule whose messages carry other classes is tagged with all of them, best first.
    expect(rules[2]!.properties.tags).toEqual([
      'rollback',
      'kubernetes',
      'fully-reversible',
      'reversible-with-manual-repair',
    ]);
    expect(rules[2]!.defaultConfiguration.level).toBe('note');
    expect(rules[1]!.properties).toEqual({
      rollbackClass: 'reversible-with-compatibility-window',
      tags: ['rollback', 'helm'],
      'problem.severity': 'warning',
    });
  });

  it('writes one result per finding with rule reference, level, message, location and fingerprints', () => {
    const s = sarif();
    const run = s.runs[0]!;
    expect(run.results).toHaveLength(5);
    for (const r of run.results) {
      expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
      expect(r.message.text).not.toBe('');
      expect(r.locations).toHaveLength(1);
      expect(r.locations[0].physicalLocation.region.startLine).toBeGreaterThanOrEqual(1);
      expect(r.partialFingerprints[FINGERPRINT_KEY]).toMatch(/^[0-9a-f]{64}$/);
      expect(r.partialFingerprints.primaryLocationLineHash).toMatch(/^[0-9a-f]{16}:1$/);
    }
    expect(run.results.map((r) => r.level)).toEqual(['error', 'warning', 'error', 'warning', 'note']);
    expect(byMessageId(s, 'loadBalancer')[0]).toEqual({
      ruleId: 'kubernetes/fixture-object-deleted',
      ruleIndex: 2,
      level: 'warning',
      message: { text: 'Service prod/web releases its external address' },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'deploy/prod/app.yaml', uriBaseId: '%SRCROOT%' },
            region: { startLine: 30, startColumn: 9 },
          },
        },
      ],
      partialFingerprints: {
        [FINGERPRINT_KEY]: expect.stringMatching(/^[0-9a-f]{64}$/),
        primaryLocationLineHash: expect.stringMatching(/^[0-9a-f]{16}:1$/),
      },
      properties: {
        rollbackClass: 'reversible-with-manual-repair',
        messageId: 'loadBalancer',
        object: '/Service/prod/web',
      },
    });
    // No column known: no startColumn. No object: no object property.
    const binary = byMessageId(s, 'binary')[0];
    expect(binary.locations[0].physicalLocation.region).toEqual({ startLine: 1 });
    expect(binary.properties).toEqual({ rollbackClass: 'non-recoverable-without-restore', messageId: 'binary' });
  });

  it('keeps fingerprints stable when the line moves, and distinct across objects and messages', () => {
    const a = fixtureAssessment();
    const moved = fixtureAssessment();
    for (const f of moved.findings) {
      f.line += 40;
      if (f.column !== undefined) f.column += 2;
    }
    const fps = (s: Sarif) => s.runs[0]!.results.map((r) => r.partialFingerprints);
    expect(fps(sarif(moved))).toEqual(fps(sarif(a)));
    const all = fps(sarif(a)).map((p) => p[FINGERPRINT_KEY]);
    expect(new Set(all).size).toBe(all.length);

    const f = a.findings[4]!;
    expect(fingerprint({ ...f, object: '/ConfigMap/prod/other' })).not.toBe(fingerprint(f));
    expect(fingerprint({ ...f, file: 'deploy/prod/other.yaml' })).not.toBe(fingerprint(f));
    expect(fingerprint({ ...f, messageId: 'loadBalancer' })).not.toBe(fingerprint(f));
    expect(fingerprint({ ...f, data: { object: 'ConfigMap prod/other' } })).not.toBe(fingerprint(f));
    // Same identity however the path is spelled and whatever order the data keys come in.
    expect(fingerprint({ ...f, file: './deploy/prod/app.yaml' })).toBe(fingerprint(f));
    expect(fingerprint({ ...f, data: { b: 1, a: 'x' } })).toBe(fingerprint({ ...f, data: { a: 'x', b: 1 } }));
  });

  it('numbers identical findings so their fingerprints stay distinct', () => {
    const a = fixtureAssessment();
    a.findings = [a.findings[4]!, { ...a.findings[4]!, line: 200 }];
    const [one, two] = sarif(a).runs[0]!.results;
    const h = one.partialFingerprints[FINGERPRINT_KEY];
    expect(two.partialFingerprints[FINGERPRINT_KEY]).toBe(`${h}:2`);
    expect(one.partialFingerprints.primaryLocationLineHash).toBe(`${h.slice(0, 16)}:1`);
    expect(two.partialFingerprints.primaryLocationLineHash).toBe(`${h.slice(0, 16)}:2`);
  });

  it('writes repository-relative URIs and lines that are at least 1', () => {
    const a = fixtureAssessment();
    a.findings = [
      { ...a.findings[0]!, file: './charts/my chart/values#1.yaml', line: 0 },
      { ...a.findings[0]!, file: '/deploy/x.yaml', line: 3, column: 0 },
    ];
    const [r1, r2] = sarif(a).runs[0]!.results;
    expect(r1.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'charts/my%20chart/values%231.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 1 },
    });
    expect(r2.locations[0].physicalLocation.artifactLocation.uri).toBe('deploy/x.yaml');
    expect(r2.locations[0].physicalLocation.region).toEqual({ startLine: 3 });
    expect(artifactUri('a\\b/c.yaml')).toBe('a/b/c.yaml');
  });

  it('is valid with no findings: an empty results array and every rule still described', () => {
    const s = sarif(emptyAssessment());
    expect(s.runs[0]!.results).toEqual([]);
    expect(s.runs[0]!.tool.driver.rules).toHaveLength(FIXTURE_RULES.length);
  });

  it('stays under GitHub’s results limit, keeping the most severe', () => {
    const a = emptyAssessment();
    const f = fixtureAssessment().findings;
    const info: Finding = f[4]!;
    const error: Finding = f[2]!;
    a.findings = [...Array.from({ length: MAX_RESULTS }, (_, i) => ({ ...info, line: i + 1 })), error];
    const run = sarif(a).runs[0]!;
    expect(run.results).toHaveLength(MAX_RESULTS);
    expect(run.results[0].level).toBe('error');
    expect(run.properties.resultsOmitted).toBe(1);
  });

  it('describes the registered rules when none are passed', () => {
    const s = JSON.parse(render(emptyAssessment(), 'sarif', { color: false }));
    const ids = s.runs[0].tool.driver.rules.map((r: { id: string }) => r.id);
    expect(ids).toContain('core/unreadable-file');
    expect(ids).toContain('core/rule-failed');
  });
});
