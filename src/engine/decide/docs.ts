import { EFFECTS } from '../../core/effects.js';
import { ruleKey, type DecisionMeaning, type MessageSpec } from '../../core/rule.js';
import { allRules } from '../../registry.js';
import { escapeText } from '../../reporters/md.js';
import { FACTS } from './facts.js';
import { PLAYBOOK_SPECS, SURFACE_PLAYBOOK } from './playbooks.js';
import { PREVIOUS_STATE_CHECKS, QUESTIONS } from './questions/index.js';

/**
 * The generated part of src/engine/decide/README.md: the questions, checks, facts, playbooks and the
 * rules' decision meanings, rendered from the data the engine runs on. README.test.ts fails when they drift
 * (`UPDATE_DECIDE_README=1 npx vitest run src/engine/decide/docs.test.ts` rewrites the section).
 */
export function renderDecideReference(): string {
  const out: string[] = [];
  out.push('### The questions, in order', '');
  out.push('| # | Question | Facts it may ask | Leads to |', '|---|---|---|---|');
  for (const q of QUESTIONS)
    out.push(
      `| ${q.n} | **${escapeText(q.title)}.** ${escapeText(q.text)} | ${q.facts.map((f) => `\`${f}\``).join(', ')} | ${q.leadsTo.replace(/\|/g, '\\|')} |`,
    );
  out.push('', '### The checks of question 6', '');
  out.push('| Check | Asks | Forward fix when it fails |', '|---|---|---|');
  for (const c of PREVIOUS_STATE_CHECKS)
    out.push(`| \`${c.id}\` | ${escapeText(c.text)} | ${escapeText(c.forwardFix)} |`);
  out.push('', '### Facts (`--fact name=value`)', '');
  out.push('| Fact | Type | Question | Yes | No | Assumed |', '|---|---|---|---|---|---|');
  for (const f of FACTS)
    out.push(
      `| \`${f.name}\` | ${f.type} | ${escapeText(f.question)} | ${escapeText(f.ifYes)} | ${escapeText(f.ifNo)} | ${
        typeof f.assume === 'boolean' ? (f.assume ? 'yes' : 'no') : 'unknown'
      } |`,
    );
  out.push('', '### Playbooks, in priority order', '');
  for (const p of PLAYBOOK_SPECS) {
    out.push(`- **\`${p.id}\`** (${escapeText(p.title)})`);
    for (const t of p.template) out.push(`  - ${t}`);
  }
  out.push('', '### What a finding means to the decision', '');
  out.push('| Effect | Meaning |', '|---|---|');
  for (const [e, m] of Object.entries(EFFECTS)) out.push(`| \`${e}\` | ${escapeText(m)} |`);
  out.push('', '| Rule (`:messageId`) | Playbook | Effects |', '|---|---|---|');
  for (const [key, m] of ruleMeanings())
    out.push(
      `| \`${key}\` | ${m.playbook ? `\`${m.playbook}\`` : '(app release)'} | ${m.effects.map((e) => `\`${e}\``).join(', ') || 'none'} |`,
    );
  out.push(
    '',
    "Each row is the `decision` of a rule's metadata, or of one of its messages (whose playbook is the rule's unless it names one). Rules absent from the table take their surface's playbook (" +
      Object.entries(SURFACE_PLAYBOOK)
        .map(([s, p]) => `${s}: \`${p}\``)
        .join(', ') +
      '), else `bad-app-release`, and carry no effect.',
  );
  return `${out.join('\n')}\n`;
}

/** Every decision meaning the rules declare, by rule key (`<rule>:<messageId>` for a message's own), in key order. */
function ruleMeanings(): Array<[string, DecisionMeaning]> {
  const out: Array<[string, DecisionMeaning]> = [];
  for (const rule of allRules()) {
    if (rule.decision) out.push([ruleKey(rule), rule.decision]);
    for (const [id, m] of Object.entries(rule.messages as Record<string, string | MessageSpec>))
      if (typeof m === 'object' && m.decision)
        out.push([
          `${ruleKey(rule)}:${id}`,
          { ...m.decision, playbook: m.decision.playbook ?? rule.decision?.playbook },
        ]);
  }
  return out;
}

export const README_BEGIN = '<!-- BEGIN GENERATED: renderDecideReference() -->';
export const README_END = '<!-- END GENERATED -->';
