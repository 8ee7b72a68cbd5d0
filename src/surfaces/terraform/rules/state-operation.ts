import { defineRule } from '../../../core/rule.js';
import type { TfContext } from '../model.js';
import { redactSecrets } from '../source.js';

type M = 'stateRm' | 'stateMv' | 'statePush' | 'replaceProvider' | 'import' | 'taint' | 'forceUnlock' | 'objectWritten';

const TOOL = String.raw`(?:[\w./-]*\/)?(terraform|tofu|terragrunt|tf)(?:\.exe)?|\$\{?[A-Z0-9_]*(?:TF|TERRAFORM|TOFU)[A-Z0-9_]*\}?`;
const OPERATION = new RegExp(
  String.raw`(?:^|[\s;&|(\x60'"])(?:${TOOL})((?:\s+(?:run-all|-{1,2}[\w-]+(?:=\S+)?))*)\s+(state\s+(?:rm|mv|push|replace-provider)|import|taint|untaint|force-unlock)(?=\s|$|["'\x60;)])(.*)$`,
);
const OBJECT_WRITE =
  /\b(aws\s+s3\s+(?:cp|mv)|aws\s+s3api\s+(?:put-object|copy-object)|gsutil\s+(?:cp|mv)|gcloud\s+storage\s+(?:cp|mv)|az\s+storage\s+blob\s+(?:upload|copy\s+start))\b(.*)$/;

const COMMENT = /^\s*(#|\/\/|::|rem\s|REM\s)/;

/** Lines of `head` that `base` does not have (as a multiset), with their line numbers. */
function addedLines(base: string | undefined, head: string): Array<{ line: number; text: string }> {
  const counts = new Map<string, number>();
  for (const l of (base ?? '').split('\n')) counts.set(l.trim(), (counts.get(l.trim()) ?? 0) + 1);
  const out: Array<{ line: number; text: string }> = [];
  head.split('\n').forEach((l, i) => {
    const k = l.trim();
    const n = counts.get(k) ?? 0;
    if (n > 0) counts.set(k, n - 1);
    else out.push({ line: i + 1, text: l });
  });
  return out;
}

/**
 * Scripts and pipelines that gain a state operation: state surgery outside any plan, to be approved and
 * evidenced like any change. A state push, or a state object copied into the backend, is a restore.
 */
export default defineRule<TfContext, M>({
  id: 'state-operation',
  surface: 'terraform',
  class: 'reversible-with-manual-repair',
  decision: { playbook: 'bad-iac-module', effects: ['state-wrong'] },
  severity: 'error',
  docs: {
    summary:
      'A script or pipeline gains a state operation: state rm/mv/push/replace-provider, import, taint, force-unlock (terraform, tofu, terragrunt), or a copy of a state object into the backend.',
    rationale:
      'State operations change what Terraform believes without a plan anyone reviewed: `state rm` forgets objects that keep running, `state mv` re-addresses them, `import` adopts them, `taint` schedules a replacement (for a database, a destroy), `force-unlock` lets two runs write at once. `state push` (above all with -force, which skips the lineage and serial checks) and copying a state object into the backend bucket restore an old state: they change what the engine believes, not what exists, and the next plan acts on the difference. Each is a governed change: an approval and evidence (the state before and after) belong with it, and its undo is another state operation.',
    fix: 'Prefer the reviewed forms: moved, removed and import blocks. When surgery is unavoidable, run it once under a change declaration, save `terraform state pull` before and after as evidence, and take it out of the pipeline afterwards.',
    references: [
      'https://developer.hashicorp.com/terraform/cli/commands/state/rm',
      'https://developer.hashicorp.com/terraform/cli/commands/state/mv',
      'https://developer.hashicorp.com/terraform/cli/commands/state/push',
      'https://developer.hashicorp.com/terraform/cli/commands/import',
      'https://developer.hashicorp.com/terraform/cli/commands/taint',
      'https://developer.hashicorp.com/terraform/cli/commands/force-unlock',
      'https://opentofu.org/docs/cli/commands/state/',
    ],
  },
  messages: {
    stateRm:
      '{{tool}} state rm: objects leave state and keep running, unmanaged; a governed change (approval and evidence), undone only by an import',
    stateMv:
      '{{tool}} state mv: addresses change in state outside any plan; a governed change, undone by the reverse move',
    statePush:
      '{{tool}} state push{{force}}: a local state file overwrites the recorded state, a restore that changes what Terraform believes, not what exists{{forceNote}}',
    replaceProvider:
      '{{tool}} state replace-provider: the provider of resources is rewritten in state; a governed change',
    import:
      '{{tool}} import: an object is adopted into state outside any plan review (prefer an import block); undone only by state rm or a removed block',
    taint:
      '{{tool}} {{op}}: the next apply replaces (or no longer replaces) the object, outside the configuration; for a data-bearing resource, that is a destroy',
    forceUnlock:
      '{{tool}} force-unlock: a state lock held by another run is released, and two runs writing at once can corrupt state',
    objectWritten:
      'a state object is written straight into the backend storage ({{command}}): a restore of an old state behind Terraform, which changes what it believes, not what exists',
  },
  check({ scripts, report }) {
    for (const f of scripts) {
      if (f.newText === undefined) continue;
      for (const { line, text } of addedLines(f.oldText, f.newText)) {
        if (COMMENT.test(text)) continue;
        const where = { file: f.path, line };
        const m = OPERATION.exec(text);
        if (m) {
          const tool = (m[1] ?? 'terraform').replace(/\.exe$/, '');
          const op = m[3]!.replace(/\s+/g, ' ');
          const rest = m[4] ?? '';
          const command = redactSecrets(`${tool} ${op}${rest}`.trim()).slice(0, 160);
          const data = { tool, op, command };
          if (op === 'state rm') report('stateRm', data, where);
          else if (op === 'state mv') report('stateMv', data, where);
          else if (op === 'state push') {
            const force = /(^|\s)-force\b/.test(rest) || /(^|\s)-force\b/.test(m[2] ?? '');
            report(
              'statePush',
              {
                ...data,
                force: force ? ' -force' : '',
                forceNote: force
                  ? '; -force also skips the lineage and serial checks that stop an older or unrelated state'
                  : '',
              },
              where,
            );
          } else if (op === 'state replace-provider') report('replaceProvider', data, where);
          else if (op === 'import') report('import', data, where);
          else if (op === 'taint' || op === 'untaint') report('taint', data, where);
          else report('forceUnlock', data, where);
          continue;
        }
        const w = OBJECT_WRITE.exec(text);
        if (w && /tfstate/.test(text) && writesToBackend(w[1]!, w[2] ?? ''))
          report('objectWritten', { command: redactSecrets(w[0].trim()).slice(0, 160) }, where);
      }
    }
  },
});

/** Whether an object-storage command writes (rather than downloads) the state object. */
function writesToBackend(cmd: string, args: string): boolean {
  if (/put-object|copy-object|upload|copy\s+start/.test(cmd)) return true;
  const tokens = args
    .trim()
    .split(/\s+/)
    .filter((t) => t && !t.startsWith('-'));
  const dest = tokens[tokens.length - 1] ?? '';
  return /^(s3|gs):\/\//.test(dest);
}
