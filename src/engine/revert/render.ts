/**
 * The views of a `revert --check` report: JSON (`rollwright.revert/v1`, the assessment inside in the
 * form of `assess -o json`), text in the style of the assessment's text reporter, and Markdown.
 */
import { printable as t } from '../../core/printable.js';
import type { RevertReport } from './check.js';

export async function revertJson(r: RevertReport): Promise<string> {
  const { renderJson } = await import('../../reporters/json.js');
  const out = {
    schema: r.schema,
    reverted: r.reverted,
    onto: r.onto,
    clean: r.clean,
    conflicts: r.conflicts,
    revertCommit: r.revertCommit,
    changeId: r.changeId,
    incident: r.incident,
    passed: r.passed,
    reasons: r.reasons,
    assessment: r.assessment ? (JSON.parse(renderJson(r.assessment)) as unknown) : null,
    schemaValidation: r.schemaValidation,
    admission: r.admission,
    targets: r.targets,
    applied: r.applied,
  };
  return JSON.stringify(out, null, 2) + '\n';
}

const short = (s: string) => s.slice(0, 12);

export async function revertText(
  r: RevertReport,
  opts: { color: boolean; width?: number | undefined },
): Promise<string> {
  const { painter } = await import('../../reporters/common.js');
  const paint = painter(opts.color);
  const out: string[] = [];
  out.push(`${paint('bold', 'rollwright revert')} ${r.reverted.map(short).join(' ')} onto ${short(r.onto)}`);
  if (r.changeId) out.push(`reverted change: ${t(r.changeId)}`);
  if (!r.clean) {
    out.push(`revert: ${paint('boldRed', 'CONFLICTS')} (nothing was assessed; your tree is untouched)`);
    for (const p of r.conflicts) out.push(`  ${t(p)}`);
  } else {
    out.push(`revert: clean, checked as commit ${short(r.revertCommit ?? '')} (on no branch until --apply)`);
  }
  if (r.assessment) {
    const { renderText } = await import('../../reporters/text.js');
    out.push('', renderText(r.assessment, opts).trimEnd());
  }
  const written = (r.schemaValidation?.checked.length ?? 0) + (r.admission?.results.length ?? 0);
  if (r.assessment && written === 0 && !r.admission?.notes.length)
    out.push('', 'schema validation and admission: the revert writes no Kubernetes object');
  if (r.schemaValidation && written > 0) {
    const s = r.schemaValidation;
    const count = (k: string) => s.checked.filter((c) => c.result === k).length;
    out.push(
      '',
      `schema validation: ${count('valid')} valid, ${count('invalid')} invalid, ${count('skipped')} not checked ` +
        `(schemas of Kubernetes ${s.schemaVersion}; target ${s.targetVersion})`,
    );
    for (const c of s.checked) {
      if (c.result === 'invalid')
        out.push(
          `  ${paint('red', 'invalid')}  ${t(c.object)}  ${t(c.file)}:${c.line}  ${t(c.problems.map((p) => `${p.path} ${p.message}`).join('; '))}`,
        );
      else if (c.result === 'skipped') out.push(`  ${paint('dim', 'skipped')}  ${t(c.object)}  ${t(c.reason ?? '')}`);
    }
  }
  if (r.admission && (written > 0 || r.admission.notes.length)) {
    const a = r.admission;
    out.push('', `admission: ${a.policies} ValidatingAdmissionPolicy, ${a.bindings} binding(s) at the revert's head`);
    for (const x of a.results)
      if (x.verdict !== 'allowed')
        out.push(
          `  ${x.verdict === 'denied' || x.verdict === 'not-evaluated' ? paint('red', x.verdict) : x.verdict}  ${t(x.object)} (${x.operation})  ${t(`${x.policy}/${x.binding}`)}  ${t(x.message ?? '')}`,
        );
    const allowed = a.results.filter((x) => x.verdict === 'allowed').length;
    if (allowed) out.push(`  allowed: ${allowed} request(s)`);
    for (const n of a.notes) out.push(`  ${paint('dim', `note: ${t(n)}`)}`);
  }
  if (r.targets) {
    const { renderTargetsText } = await import('../../reporters/targets.js');
    out.push('', renderTargetsText(r.targets, { color: opts.color, title: 'What the revert brings back' }).trimEnd());
  }
  out.push('', `revert check: ${r.passed ? paint('boldGreen', 'PASSED') : paint('boldRed', 'FAILED')}`);
  for (const why of r.reasons) out.push(`  - ${t(why)}`);
  if (r.applied) {
    out.push(`applied: ${short(r.applied.commit)} on ${r.applied.branch.replace(/^refs\/heads\//, '')}`);
    out.push(
      r.applied.ledgerEvent !== null
        ? `ledger: recovery.executed #${r.applied.ledgerEvent} (transition=rollback) for incident ${r.applied.incident}`
        : 'ledger: nothing recorded (no incident)',
    );
  }
  return out.join('\n') + '\n';
}

export async function revertMarkdown(r: RevertReport): Promise<string> {
  const { code, escapeText } = await import('../../reporters/md.js');
  const out: string[] = [`## rollwright revert ${r.reverted.map((s) => `\`${short(s)}\``).join(' ')}`, ''];
  out.push(`- onto: \`${short(r.onto)}\``);
  if (r.changeId) out.push(`- reverted change: ${code(r.changeId)}`);
  out.push(r.clean ? `- clean: revert commit \`${short(r.revertCommit ?? '')}\`` : '- **conflicts**:');
  for (const p of r.conflicts) out.push(`  - ${code(p)}`);
  out.push(`- result: **${r.passed ? 'PASSED' : 'FAILED'}**`);
  for (const why of r.reasons) out.push(`  - ${escapeText(why)}`);
  if (r.assessment) {
    const { render } = await import('../../reporters/index.js');
    out.push('', render(r.assessment, 'markdown', { color: false }).trimEnd());
  }
  return out.join('\n') + '\n';
}
