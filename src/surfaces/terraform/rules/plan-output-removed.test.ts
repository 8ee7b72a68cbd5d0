import { ruleTable } from '../../../testing/rule-tester.js';
import { terraformPlan } from '../plan/index.js';
import { planFile } from '../plan/testing.js';
import rule from './plan-output-removed.js';

const out = (actions: string[], sensitive = false) => ({
  actions,
  before: 'v',
  after: null,
  after_unknown: false,
  before_sensitive: sensitive,
  after_sensitive: sensitive,
});

ruleTable(terraformPlan, rule, {
  valid: [
    {
      name: 'outputs added and changed',
      after: planFile({ output_changes: { a: out(['create']), b: out(['update']) } }),
    },
  ],
  invalid: [
    {
      name: 'a removed output, value never shown',
      after: planFile({
        output_changes: { db_password: { ...out(['delete'], true), before: 'hunter2' }, vpc_id: out(['no-op']) },
      }),
      errors: [
        {
          messageId: 'removed',
          class: 'reversible-with-manual-repair',
          object: 'output.db_password',
          message:
            'output db_password is removed: configurations that read it through terraform_remote_state or tfe_outputs fail on their next plan',
        },
      ],
    },
  ],
});
