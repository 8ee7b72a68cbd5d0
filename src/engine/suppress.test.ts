/**
 * Narrow acceptance end to end over real git repositories: a declaration's `accept:` list, inline
 * `rollwright-ignore` comments and config `ignore.rules` own exactly the findings they name; owned
 * findings are still reported with their reason, out of the gate and the class.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import type { Finding } from '../core/finding.js';
import { allRules, surfaces } from '../registry.js';
import { GitFixture } from '../testing/git-fixture.js';
import { assess, type AssessOptions, type Assessment } from './assess.js';
import { parseIgnoreComments } from './suppress.js';

const pvc = (extra = '') => `${extra}apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: uploads
  namespace: shop
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 5Gi
`;

const lbService = `apiVersion: v1
kind: Service
metadata:
  name: edge
  namespace: shop
spec:
  type: LoadBalancer
  selector: {app: web}
  ports: [{port: 443}]
`;

const secret = `apiVersion: v1
kind: Secret
metadata:
  name: db
  namespace: shop
stringData:
  password: hunter2
`;

const repos: GitFixture[] = [];
function fixture(): GitFixture {
  const r = GitFixture.create();
  repos.push(r);
  return r;
}
afterEach(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

function run(repo: GitFixture, opts: Partial<AssessOptions> = {}): Promise<Assessment> {
  return assess({ repo: repo.dir, surfaces, rules: allRules(), ...opts });
}

function brief(findings: readonly Finding[]): string[] {
  return findings.map(
    (f) => `${f.rule} ${f.file}:${f.line}${f.suppression ? ` ${f.suppression.kind}(${f.suppression.source})` : ''}`,
  );
}

const honest = (accept: string) => `change:
  id: CHG-1
  environment: prod
  rollbackClass: reversible-with-manual-repair
  rollbackMethod: revert and repoint DNS
  verification: [dns resolves]
  rollbackWindow: 24h
${accept}`;

/** A prod change deleting the LoadBalancer Service, with the given declaration. */
function prodDeletion(decl: string) {
  const repo = fixture();
  repo.commit('add edge', { 'clusters/prod/shop/edge.yaml': lbService, 'clusters/prod/shop/pvc.yaml': pvc() });
  repo.commit(
    'drop edge, break the claim',
    {
      '.rollwright/changes/CHG-1.yaml': decl,
      'clusters/prod/shop/pvc.yaml': pvc().replace('storage: 5Gi', 'storage: [5Gi'),
    },
    { delete: ['clusters/prod/shop/edge.yaml'] },
  );
  return repo;
}

describe('accept: in a declaration', () => {
  it('owns a blocking finding by file, and one by object; both stay reported', async () => {
    const repo = prodDeletion(
      honest(`  accept:
    - rule: kubernetes/invalid-manifest
      file: ./clusters/prod/shop/pvc.yaml
      reason: the template engine fills the size before apply
    - rule: kubernetes/stateless-object-deleted
      object: /Service/shop/edge
      reason: the edge moves to the shared gateway; DNS already points there
`),
    );
    const a = await run(repo);
    expect(brief(a.findings)).toEqual([
      'kubernetes/stateless-object-deleted clusters/prod/shop/edge.yaml:7 accepted(.rollwright/changes/CHG-1.yaml:12)',
      'kubernetes/invalid-manifest clusters/prod/shop/pvc.yaml:10 accepted(.rollwright/changes/CHG-1.yaml:9)',
    ]);
    expect(a.findings[1]!.suppression).toEqual({
      kind: 'accepted',
      reason: 'the template engine fills the size before apply',
      source: '.rollwright/changes/CHG-1.yaml:9',
      inSource: false,
    });
    // Owned findings no longer set the class, and no longer fail the gate.
    expect(a.class).toBe('fully-reversible');
    expect(a.unassessed.map((u) => u.holdsClass)).toEqual([false]);
    expect(a.gate).toEqual({ passed: true, reasons: [] });
  });

  it('without the acceptance the same change fails', async () => {
    const a = await run(prodDeletion(honest('')));
    expect(a.gate.passed).toBe(false);
    expect(a.gate.reasons.join('\n')).toMatch(/no declaration can accept: kubernetes\/invalid-manifest/);
  });

  it('an entry that matches nothing, or names no rule, is a stale warning where it is written', async () => {
    const repo = prodDeletion(
      honest(`  accept:
    - rule: kubernetes/invalid-manifest
      file: clusters/prod/shop/pvc.yaml
      reason: filled before apply
    - rule: kubernetes/stateless-object-deleted
      object: /Service/shop/edge-typo
      reason: moved
    - rule: kubernetes/invalid-manifests
      file: x.yaml
      reason: typo
`),
    );
    const a = await run(repo);
    const stale = a.findings.filter((f) => f.rule === 'core/unused-suppression');
    expect(stale.map((f) => `${f.file}:${f.line} ${f.severity} ${f.message}`)).toEqual([
      '.rollwright/changes/CHG-1.yaml:12 warning accept entry 2 of .rollwright/changes/CHG-1.yaml for kubernetes/stateless-object-deleted object /Service/shop/edge-typo matched no finding of this change; its findings here are about /Service/shop/edge: remove it or correct it',
      '.rollwright/changes/CHG-1.yaml:15 warning accept entry 3 of .rollwright/changes/CHG-1.yaml names kubernetes/invalid-manifests, which is not a rule: did you mean kubernetes/invalid-manifest?',
    ]);
    expect(a.class).toBe('reversible-with-manual-repair');
  });

  it('a missing reason is a declaration problem naming the file and line', async () => {
    const a = await run(
      prodDeletion(
        honest(`  accept:
    - rule: kubernetes/invalid-manifest
      file: clusters/prod/shop/pvc.yaml
`),
      ),
    );
    expect(a.gate.passed).toBe(false);
    expect(a.gate.reasons[0]).toBe(
      'declaration is invalid: .rollwright/changes/CHG-1.yaml:9: change.accept[0].reason: say why this finding is acceptable: a reason is required',
    );
  });

  it('an entry with both or neither of object and file is refused', async () => {
    const a = await run(
      prodDeletion(
        honest(`  accept:
    - rule: kubernetes/invalid-manifest
      reason: x
`),
      ),
    );
    expect(a.gate.reasons[0]).toMatch(/change\.accept\[0\]: name exactly one of object .* or file/);
  });

  it('never a plaintext secret', async () => {
    const repo = fixture();
    repo.commit('base', { 'clusters/prod/shop/README.md': 'x\n' });
    repo.commit('secret', {
      'clusters/prod/shop/db.yaml': secret,
      '.rollwright/changes/CHG-1.yaml': `change:
  rollbackClass: compensatable
  rollbackMethod: rotate
  verification: [rotated]
  irreversibleEffects: [the password is in history]
  accept:
    - rule: kubernetes/plaintext-secret
      object: /Secret/shop/db
      reason: it is a test password
`,
    });
    const a = await run(repo);
    const f = a.findings.find((x) => x.rule === 'kubernetes/plaintext-secret')!;
    expect(f.suppression).toBeUndefined();
    expect(a.gate.passed).toBe(false);
    expect(a.gate.reasons.join('\n')).toMatch(
      /\.rollwright\/changes\/CHG-1\.yaml:7: change\.accept\[0\]: kubernetes\/plaintext-secret cannot be accepted: a secret committed in plain text/,
    );
  });
});

describe('inline rollwright-ignore comments', () => {
  it('a comment at the top of a YAML document owns the findings of its rule in that document', async () => {
    const repo = fixture();
    repo.commit('add', { 'apps/uploads-pvc.yaml': pvc() });
    repo.commit('typo', {
      'apps/uploads-pvc.yaml': pvc('# rollwright-ignore kubernetes/invalid-manifest: size is templated by the CI\n').replace(
        'storage: 5Gi',
        'storage: [5Gi',
      ),
    });
    const a = await run(repo);
    expect(brief(a.findings)).toEqual(['kubernetes/invalid-manifest apps/uploads-pvc.yaml:11 ignored(apps/uploads-pvc.yaml:1)']);
    expect(a.findings[0]!.suppression?.inSource).toBe(true);
    expect(a.gate.passed).toBe(true);
  });

  it('a comment without a reason is an input error naming the file and line', async () => {
    const repo = fixture();
    repo.commit('add', { 'apps/uploads-pvc.yaml': pvc() });
    repo.commit('typo', { 'apps/uploads-pvc.yaml': pvc('\n# rollwright-ignore kubernetes/invalid-manifest\n') });
    const e = await run(repo).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as Error).message).toBe(
      'apps/uploads-pvc.yaml:2: rollwright-ignore kubernetes/invalid-manifest has no reason: write # rollwright-ignore <surface>/<rule-id>: <reason>',
    );
  });

  it('a plaintext secret cannot be ignored inline', async () => {
    const repo = fixture();
    repo.commit('base', { 'apps/README.md': 'x\n' });
    repo.commit('secret', { 'apps/db.yaml': `# rollwright-ignore kubernetes/plaintext-secret: test only\n${secret}` });
    await expect(run(repo)).rejects.toThrow(/apps\/db\.yaml:1: kubernetes\/plaintext-secret cannot be ignored/);
  });

  it('a new comment that owns nothing is stale; an unknown rule gets a did-you-mean', async () => {
    const repo = fixture();
    repo.commit('add', { 'apps/uploads-pvc.yaml': pvc() });
    repo.commit('comment', {
      'apps/uploads-pvc.yaml': pvc('# rollwright-ignore kubernetes/invalid-manifest, kubernetes/stateful-object-delete: nothing here\n'),
    });
    const a = await run(repo);
    expect(a.findings.map((f) => `${f.rule} ${f.file}:${f.line} ${f.message}`)).toEqual([
      'core/unused-suppression apps/uploads-pvc.yaml:1 rollwright-ignore comment for kubernetes/invalid-manifest in the document at lines 1-11 matched no finding of this change: remove it or correct it',
      'core/unused-suppression apps/uploads-pvc.yaml:1 rollwright-ignore comment names kubernetes/stateful-object-delete, which is not a rule: did you mean kubernetes/stateful-object-deleted?',
    ]);
    expect(a.class).toBe('fully-reversible');
  });
});

describe('config ignore.rules', () => {
  it('owns the findings of the named rules under the paths, with the entry as source', async () => {
    const repo = fixture();
    repo.commit('add', {
      'apps/uploads-pvc.yaml': pvc(),
      '.rollwright.yaml': `ignore:
  - paths: [apps/**]
    rules: [kubernetes/invalid-manifest]
    reason: apps/ is rendered by the CI before apply
`,
    });
    repo.commit('typo', { 'apps/uploads-pvc.yaml': pvc().replace('storage: 5Gi', 'storage: [5Gi') });
    const a = await run(repo);
    expect(brief(a.findings)).toEqual(['kubernetes/invalid-manifest apps/uploads-pvc.yaml:10 ignored(.rollwright.yaml:2)']);
  });

  it('refuses a rule that can never be ignored, at its line', async () => {
    const repo = fixture();
    repo.commit('add', {
      '.rollwright.yaml': `ignore:
  - paths: [apps/**]
    rules: [kubernetes/plaintext-secret]
    reason: test cluster
`,
    });
    await expect(run(repo)).rejects.toThrow(/\.rollwright\.yaml:3: ignore\[0\]\.rules\[0\]: kubernetes\/plaintext-secret cannot be ignored/);
  });
});

describe('parseIgnoreComments', () => {
  const cases: Array<[string, string, string, Array<[number, number, string]>]> = [
    ['same line', 'a.yaml', 'a: 1\nb: 2 # rollwright-ignore x/y: why\n', [[2, 2, 'line']]],
    ['line above, in the middle of a document', 'a.yaml', 'a: 1\n# rollwright-ignore x/y: why\n\nb: 2\n', [[4, 4, 'line']]],
    ['document header', 'a.yaml', 'a: 1\n---\n# rollwright-ignore x/y: why\nb: 2\nc: 3\n---\nd: 4\n', [[2, 5, 'document']]],
    ['whole file', 'a.yaml', 'a: 1\n# rollwright-ignore-file x/y: why\nb: 2\n', [[1, 3, 'file']]],
    ['SQL', 'm.sql', '-- rollwright-ignore x/y: why\nDROP TABLE t;\n', [[2, 2, 'line']]],
    ['SQL ignores # comments', 'm.sql', '# rollwright-ignore x/y: why\nDROP TABLE t;\n', []],
    ['HCL //', 'main.tf', 'resource "a" "b" { // rollwright-ignore x/y: why\n}\n', [[1, 1, 'line']]],
    ['not a comment (inside a word)', 'a.yaml', 'a: x#rollwright-ignore x/y: why\n', []],
  ];
  it.each(cases)('%s', (_, path, text, want) => {
    expect(parseIgnoreComments(path, text).map((c) => [c.from, c.to, c.scope])).toEqual(want);
  });
  it('needs a rule key', () => {
    expect(() => parseIgnoreComments('a.yaml', '# rollwright-ignore: why\n')).toThrow(/a\.yaml:1: rollwright-ignore names no rule/);
    expect(() => parseIgnoreComments('a.yaml', '# rollwright-ignore Bad: why\n')).toThrow(/"Bad" is not a rule key/);
  });
});
