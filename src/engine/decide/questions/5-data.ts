import { cite, step } from '../runbook/step.js';
import { defineQuestion } from './question.js';

export default defineQuestion({
  id: 'data',
  n: 5,
  title: 'Data and external state',
  text: 'Did the change mutate data or external state?',
  facts: ['data-changed', 'reads-switched', 'external-effects', 'backup-available'],
  leadsTo:
    'expand-only: rollback stays possible inside the window (rehearse first when reads switched); contract or destructive: never rollback, rollforward or restore; external effects: compensate',
  ask({ walk, say, sayFact }) {
    const { input, facts, refused, playbook, data } = walk;
    const { destroyed, forwardOnly, expand, external, dataSurface } = data;
    const dataMatters =
      destroyed.length + forwardOnly.length + expand.length + external.length + dataSurface.length > 0 ||
      playbook === 'bad-database-migration';
    if (!dataMatters) {
      say('no: the change touches no data-bearing object, schema or external effect', 'assessment');
    } else if (destroyed.length > 0) {
      const dc = facts.get('data-changed', { value: true, source: 'assessment', evidence: cite(destroyed[0]!) });
      const backup = facts.get('backup-available');
      walk.outcome = backup.value === true ? 'restore' : 'rollforward';
      const overruled = facts.overruled.find((o) => o.fact === 'data-changed');
      say(
        `yes: ${dc.evidence}${overruled ? ` (the stated data-changed=${overruled.stated} is overruled: the assessment wins)` : ''}; never rollback: ${
          walk.outcome === 'restore' ? 'restore from the backup' : 'roll forward'
        }`,
        'assessment',
      );
      sayFact(
        'backup-available',
        backup,
        backup.value === true
          ? 'a backup from before the change exists: restore what was destroyed'
          : 'no backup from before the change: roll forward and compensate',
      );
      refused.push({
        transition: 'rollback',
        reason: `data destroyed: ${cite(destroyed[0]!)}`,
        alternative: walk.outcome,
      });
    } else if (forwardOnly.length > 0) {
      walk.outcome = 'rollforward';
      say(`yes, forward-only: ${cite(forwardOnly[0]!)}; no rollback, roll forward`, 'assessment');
      refused.push({
        transition: 'rollback',
        reason: `forward-only data change: ${cite(forwardOnly[0]!)}`,
        alternative: 'rollforward',
      });
    } else {
      const dc = facts.get(
        'data-changed',
        external.length > 0 ? { value: true, source: 'assessment', evidence: cite(external[0]!) } : undefined,
      );
      if (expand.length > 0) {
        const reads = facts.get('reads-switched');
        data.rehearseFirst = reads.value === true;
        data.keepSchema = dc.value === true;
        sayFact(
          'data-changed',
          dc,
          `expand-only (${cite(expand[0]!)}): rollback stays possible inside the window${data.keepSchema ? '; keep the expanded schema (do not run the down migration): the old version ignores it and the new values stay' : ''}`,
        );
        sayFact(
          'reads-switched',
          reads,
          data.rehearseFirst
            ? 'the application reads the new schema: rehearse the rollback first'
            : 'the old read path is intact',
        );
      } else {
        data.checkOldReads = dc.value === true && dataSurface.length > 0;
        sayFact(
          'data-changed',
          dc,
          dc.value !== true
            ? 'data does not stand in the way of a rollback'
            : dataSurface.length > 0
              ? `stateful objects are involved (${cite(dataSurface[0]!)}): check that the previous version reads what the new one wrote before relying on a rollback`
              : `${dc.evidence ?? 'data was written'}: a rollback of the code does not remove what was written`,
        );
      }
    }
    if (dataMatters && (external.length > 0 || playbook === 'bad-database-migration' || dataSurface.length > 0)) {
      const ext = facts.get(
        'external-effects',
        external.length > 0 ? { value: true, source: 'assessment', evidence: cite(external[0]!) } : undefined,
      );
      if (ext.value === true) {
        walk.compensate.push(
          step(
            `List the external effects since the change deployed${input.ledger?.deployedAt ? ` (${input.ledger.deployedAt})` : ''}: ${
              external.length > 0 ? external.map(cite).join('; ') : 'notifications, billing events, partner calls'
            }`,
            null,
            'each effect is listed with its owner',
          ),
          step(
            'Compensate each effect with a domain action (a corrective record, a credit, a follow-up message); a rollback does not undo them',
            null,
            'each listed effect has a compensating action recorded',
          ),
        );
        if (external.length > 0 && walk.outcome === 'rollback') walk.outcome = 'compensate';
      }
      sayFact(
        'external-effects',
        ext,
        ext.value === true
          ? 'effects outside the system cannot be rolled back: compensate them'
          : 'nothing outside the system needs compensating',
      );
    }
  },
});
