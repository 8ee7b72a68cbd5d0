import { describe, expect, it } from 'vitest';
import { decide } from '../engine/decide/decide.js';
import { argoApp, finding, imageChanged, input } from '../engine/decide/fixtures.js';
import { renderDecision } from './decision.js';

const repository = { reconcilers: [argoApp()], rollouts: [], flags: [], workspaces: [] };
const paused = () => decide(input([imageChanged()], { repository, stated: { 'loop-repeating-damage': true } }));
const dropped = () =>
  decide(
    input(
      [
        finding('database/contract-statement', 'dropColumn', 'non-recoverable-without-restore', {
          file: 'db/migrations/0007_drop.up.sql',
          data: { target: 'users.legacy_email' },
          text: 'DROP COLUMN {{target}}: its data is destroyed | <b>gone</b>',
        }),
      ],
      { stated: { 'data-changed': false } },
    ),
  );

describe('renderDecision json', () => {
  it('is the contract: the issue keys first, in order, then the extensions', () => {
    const out = renderDecision(paused(), 'json');
    const parsed = JSON.parse(out) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual([
      'schema',
      'change',
      'transition',
      'containment',
      'rationale',
      'runbook',
      'assumptions',
      'evidenceOwed',
      'playbook',
      'class',
      'environment',
      'refused',
      'overruled',
      'resolution',
    ]);
    expect(parsed.schema).toBe('rollwright.decision/v1');
    expect(parsed.transition).toBe('rollback');
    expect(parsed.containment).toEqual(['pause']);
    const rationale = parsed.rationale as Array<Record<string, unknown>>;
    expect(Object.keys(rationale[0]!)).toEqual(['question', 'answer', 'source']);
    const runbook = parsed.runbook as Array<Record<string, unknown>>;
    expect(Object.keys(runbook[0]!)).toEqual(['step', 'command', 'check']);
    expect(runbook[0]!.command).toBe('argocd app set argocd/web --sync-policy none');
    expect(runbook.filter((s) => s.command === null).length).toBeGreaterThan(0);
    expect(out.endsWith('}\n')).toBe(true);
  });

  it('is byte-stable whatever the key order of the object it is given', () => {
    const d = paused();
    const shuffled = Object.fromEntries(Object.entries(d).reverse()) as typeof d;
    expect(renderDecision(shuffled, 'json')).toBe(renderDecision(d, 'json'));
  });
});

describe('renderDecision text', () => {
  it('reads like kubectl/terraform output: decision, rationale with sources, numbered runbook, assumptions, evidence', () => {
    const out = renderDecision(paused(), 'text');
    const lines = out.split('\n');
    expect(lines[0]).toBe('Decision: rollback after pause');
    expect(lines[1]).toBe('Change:   CHG-1 (prod)   class: fully-reversible   playbook: bad-app-release');
    expect(lines[2]).toBe('Commits:  as given: 1 commit');
    expect(lines[3]).toMatch(/^ {10}[0-9a-f]{12}$/);
    expect(out).toContain('  [fact      ] Is a control loop repeating damage?\n');
    expect(out).toContain(
      '  1. Pause the one Argo CD Application argocd/web: turn its automated sync off (not the controller)\n',
    );
    expect(out).toContain('     $ argocd app set argocd/web --sync-policy none\n');
    expect(out).toContain('     check: argocd app get argocd/web shows Sync Policy Manual (<none> in older CLIs)\n');
    expect(out).toMatch(/  9\. Restore the sync policy of Argo CD Application argocd\/web exactly as it was/);
    expect(out).toContain('Assumptions (state them with --fact name=value):\n  ! assumed artifact-available=yes');
    expect(out.trimEnd().split('\n').at(-1)).toBe(
      'Evidence owed: change-id, rollback-commit, artifact-digest, approval, policy-result, sync-log, health-metrics, drift-check, postmortem-action',
    );
    expect(out).not.toContain('\u001b[');
  });

  it('shows refused transitions and overruled facts', () => {
    const out = renderDecision(dropped(), 'text');
    expect(out).toContain('Refused:\n  rollback: data destroyed: DROP COLUMN users.legacy_email');
    expect(out).toContain('→ rollforward');
    expect(out).toContain('Overruled facts (the assessment wins):\n  data-changed=no: DROP COLUMN users.legacy_email');
  });

  it('colours only when asked', () => {
    const out = renderDecision(paused(), 'text', { color: true });
    expect(out).toContain('\u001b[1;32mrollback\u001b[0m');
  });
});

describe('renderDecision markdown', () => {
  it('renders a table of the rationale and fenced commands, escaping untrusted text', () => {
    const out = renderDecision(dropped(), 'markdown');
    expect(out.startsWith('## rollwright decision: `rollforward`\n')).toBe(true);
    expect(out).toContain('| # | Question | Answer | Source |');
    expect(out).toContain('\\| &lt;b&gt;gone&lt;/b&gt;');
    expect(out).not.toContain('<b>');
    expect(out).toContain('### Overruled facts');
    expect(out).toContain('   ```sh\n   rollwright rehearse --dir db/migrations\n   ```');
    expect(out).toContain('### Evidence owed\n\n- `change-id`');
  });
});

describe('renderDecision: the commits decided about come first', () => {
  const resolved = () => {
    const d = paused();
    return {
      ...d,
      resolution: {
        source: 'declaration' as const,
        how: 'the 2 commits that added or edited .rollwright/changes/CHG-1.yaml: the 2 commits of aaa..bbb',
        commits: [
          { sha: 'a'.repeat(40), subject: 'declare CHG-1 <b>', declarationOnly: true },
          { sha: 'b'.repeat(40), subject: 'CHG-1: window', declarationOnly: true },
        ],
        declarationOnly: true,
      },
    };
  };

  it('text: how they were found, each commit, and a warning when they change only declarations', () => {
    const lines = renderDecision(resolved(), 'text').split('\n');
    expect(lines.slice(2, 6)).toEqual([
      "Commits:  from the declaration's history: the 2 commits that added or edited .rollwright/changes/CHG-1.yaml: the 2 commits of aaa..bbb",
      `          ${'a'.repeat(12)}  declare CHG-1 <b>  (declaration only)`,
      `          ${'b'.repeat(12)}  CHG-1: window  (declaration only)`,
      expect.stringContaining(
        '  ! the commits found change only change declarations, not what the change changed: this decision is about a declaration. Name the change',
      ),
    ]);
  });

  it('markdown: the same, escaped, with the warning as a quote', () => {
    const out = renderDecision(resolved(), 'markdown');
    const head = out.slice(0, out.indexOf('### Rationale'));
    expect(head).toContain("Commits from the declaration's history: the 2 commits that added or edited");
    expect(head).toContain(`- \`${'a'.repeat(12)}\` declare CHG-1 &lt;b&gt; (declaration only)`);
    expect(head).toContain('> **Warning:** the commits found change only change declarations');
  });

  it('json: resolution, with the source, how, and each commit', () => {
    const parsed = JSON.parse(renderDecision(resolved(), 'json')) as { resolution: unknown };
    expect(parsed.resolution).toEqual({
      source: 'declaration',
      how: 'the 2 commits that added or edited .rollwright/changes/CHG-1.yaml: the 2 commits of aaa..bbb',
      commits: [
        { sha: 'a'.repeat(40), subject: 'declare CHG-1 <b>', declarationOnly: true },
        { sha: 'b'.repeat(40), subject: 'CHG-1: window', declarationOnly: true },
      ],
      declarationOnly: true,
    });
  });
});
