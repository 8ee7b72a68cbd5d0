import { ruleTable } from '../../../testing/rule-tester.js';
import { terraformPlan } from '../plan/index.js';
import { planFile, planJson, rc } from '../plan/testing.js';
import rule from './plan-incomplete.js';

ruleTable(terraformPlan, rule, {
  valid: [
    { name: 'a complete plan', after: planFile({ resource_changes: [rc('aws_instance.a', ['create', 'delete'])] }) },
  ],
  invalid: [
    {
      name: 'an errored plan',
      after: planFile({ errored: true, complete: false }),
      errors: [
        { messageId: 'errored', class: 'non-recoverable-without-restore', severity: 'error', line: 1 },
        {
          messageId: 'partial',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          message: /complete: false\)/,
        },
      ],
    },
    {
      name: 'deferred changes',
      after: planFile({ complete: false, deferred_changes: [{ reason: 'instance_count_unknown' }] }),
      errors: [
        {
          messageId: 'partial',
          message:
            'the plan is partial (complete: false, 1 deferred changes): resources outside it were not planned, and the next full plan brings them back in',
        },
      ],
    },
    {
      name: 'an action rollwright does not know',
      after: planFile({ resource_changes: [rc('aws_instance.a', ['obliterate'])] }),
      errors: [
        {
          messageId: 'unknownAction',
          class: 'non-recoverable-without-restore',
          message:
            'aws_instance.a has actions ["obliterate"], which rollwright does not know: assume it may delete the object',
        },
      ],
    },
    {
      name: 'a truncated plan in the change set',
      after: { 'plan.tfplan.json': planJson({ resource_changes: [rc('aws_instance.a', ['delete'])] }).slice(0, 150) },
      errors: [
        {
          messageId: 'unreadable',
          class: 'non-recoverable-without-restore',
          message: /the JSON document is truncated: it ends at byte 150 inside resource_changes\[0\]/,
        },
      ],
    },
    {
      name: 'another format version',
      after: { 'plan.tfplan.json': planJson({ format_version: '2.0' }) },
      errors: [
        {
          messageId: 'unreadable',
          message: /plan format_version "2\.0" is not supported: rollwright reads format 1\.x/,
        },
      ],
    },
  ],
});
