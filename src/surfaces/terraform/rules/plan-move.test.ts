import { ruleTable } from '../../../testing/rule-tester.js';
import { terraformPlan } from '../plan/index.js';
import { planFile, rc } from '../plan/testing.js';
import rule from './plan-move.js';

ruleTable(terraformPlan, rule, {
  valid: [{ name: 'no move', after: planFile({ resource_changes: [rc('aws_instance.a', ['update'])] }) }],
  invalid: [
    {
      name: 'a no-op move gives its reverse block; a move with an update is not safe',
      after: planFile({
        resource_changes: [
          rc('module.api_security.aws_security_group.this', ['no-op'], { previous_address: 'aws_security_group.api' }),
          rc('aws_instance.b', ['update'], { previous_address: 'aws_instance.a' }),
          rc('aws_instance.c[0]', ['no-op'], { previous_address: 'aws_instance.c' }),
        ],
      }),
      errors: [
        {
          messageId: 'movedAndChanged',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          object: 'aws_instance.b',
        },
        {
          messageId: 'movedImplicitly',
          class: 'fully-reversible',
          severity: 'info',
          object: 'aws_instance.c[0]',
        },
        {
          messageId: 'moved',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          message:
            'module.api_security.aws_security_group.this moves from aws_security_group.api without change to the real object, but a plain revert of the configuration would destroy module.api_security.aws_security_group.this and create aws_security_group.api: to undo it, add moved { from = module.api_security.aws_security_group.this to = aws_security_group.api } (or terraform state mv)',
        },
      ],
    },
  ],
});
