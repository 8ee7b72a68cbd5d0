import { ruleTable } from '../../../testing/rule-tester.js';
import { terraform } from '../index.js';
import rule from './state-operation.js';

const sh = (...lines: string[]) => `#!/usr/bin/env bash\nset -euo pipefail\n${lines.join('\n')}\n`;

ruleTable(terraform, rule, {
  valid: [
    {
      name: 'plan and apply',
      after: {
        'scripts/deploy.sh': sh(
          'terraform plan -out=tfplan',
          'terraform apply tfplan',
          'terraform state list',
          'terraform state pull > backup.tfstate',
        ),
      },
    },
    {
      name: 'a state operation already there',
      before: { 'scripts/fix.sh': sh('terraform state rm aws_instance.a') },
      after: { 'scripts/fix.sh': sh('echo fixing', 'terraform state rm aws_instance.a') },
    },
    { name: 'commented out', after: { 'scripts/fix.sh': sh('# terraform state rm aws_instance.a') } },
    {
      name: 'downloading a state object is not a restore',
      after: { 'scripts/backup.sh': sh('aws s3 cp s3://acme-state/prod.tfstate ./prod.tfstate') },
    },
  ],
  invalid: [
    {
      name: 'state rm, mv and import in a script',
      before: { 'scripts/migrate.sh': sh('echo start') },
      after: {
        'scripts/migrate.sh': sh(
          'echo start',
          'terraform -chdir=infra state rm aws_instance.legacy',
          'tofu state mv aws_s3_bucket.a aws_s3_bucket.b',
          'terraform import aws_s3_bucket.c acme-c',
        ),
      },
      errors: [
        {
          messageId: 'stateRm',
          class: 'reversible-with-manual-repair',
          severity: 'error',
          line: 4,
          message: /^terraform state rm: objects leave state/,
        },
        { messageId: 'stateMv', line: 5, message: /^tofu state mv/ },
        { messageId: 'import', line: 6 },
      ],
    },
    {
      name: 'a forced state push in a pipeline: a restore',
      after: {
        '.github/workflows/restore.yml':
          'on: workflow_dispatch\njobs:\n  restore:\n    runs-on: ubuntu-latest\n    steps:\n      - run: terraform state push -force backups/prod.tfstate\n',
      },
      errors: [
        {
          messageId: 'statePush',
          line: 6,
          message:
            /terraform state push -force: a local state file overwrites the recorded state, a restore.*-force also skips the lineage and serial checks/,
        },
      ],
    },
    {
      name: 'terragrunt, taint, force-unlock and a Makefile',
      after: {
        Makefile:
          'fix:\n\tterragrunt state rm module.x\n\tterraform taint aws_db_instance.main\n\t$(TF) plan\n\t${TF_BIN} force-unlock 1234\n',
      },
      errors: [
        { messageId: 'stateRm', line: 2, message: /^terragrunt state rm/ },
        { messageId: 'taint', line: 3 },
        { messageId: 'forceUnlock', line: 5 },
      ],
    },
    {
      name: 'a state object copied into the backend bucket, credentials redacted',
      after: {
        'restore.ps1':
          'aws s3api copy-object --bucket acme-state --key prod.tfstate --copy-source "acme-state/prod.tfstate?versionId=abc"\ngsutil cp old.tfstate gs://acme-state/prod/default.tfstate\n',
      },
      errors: [
        { messageId: 'objectWritten', line: 1, message: /aws s3api copy-object/ },
        { messageId: 'objectWritten', line: 2, message: /gsutil cp old\.tfstate gs:\/\/acme-state/ },
      ],
    },
  ],
});
