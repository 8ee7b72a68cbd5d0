import { ruleTable } from '../../../testing/rule-tester.js';
import { terraformPlan } from '../plan/index.js';
import { configResource, planFile, rc } from '../plan/testing.js';
import rule from './plan-resource-destroyed.js';

const dbBefore = {
  identifier: 'orders',
  skip_final_snapshot: false,
  final_snapshot_identifier: 'orders-final',
  deletion_protection: false,
};

/** aws_db_instance.main, referenced by a record directly and by a module through its input. */
const configuration = {
  root_module: {
    resources: [
      configResource('aws_db_instance.main', []),
      configResource('aws_route53_record.db', ['aws_db_instance.main.address', 'aws_db_instance.main']),
    ],
    module_calls: {
      app: {
        source: './modules/app',
        expressions: { db_host: { references: ['aws_db_instance.main.address', 'aws_db_instance.main'] } },
        module: {
          resources: [
            configResource('aws_ecs_task_definition.api', ['var.db_host']),
            configResource('aws_ecs_service.api', ['aws_ecs_task_definition.api.arn', 'aws_ecs_task_definition.api']),
          ],
        },
      },
    },
  },
};

ruleTable(terraformPlan, rule, {
  valid: [
    {
      name: 'creates, updates and no-ops',
      after: planFile({
        resource_changes: [
          rc('aws_db_instance.main', ['create']),
          rc('aws_s3_bucket.a', ['update']),
          rc('aws_sqs_queue.q', ['no-op']),
        ],
      }),
    },
    {
      name: 'a forget is not a destroy',
      after: planFile({ resource_changes: [rc('aws_db_instance.main', ['forget'])] }),
    },
    {
      name: 'data sources are read, not destroyed',
      after: planFile({ resource_changes: [rc('data.aws_db_instance.x', ['delete'])] }),
    },
  ],
  invalid: [
    {
      name: 'a deleted database names its dependents from the prior state and its final snapshot',
      after: planFile({
        resource_changes: [
          rc('aws_db_instance.main', ['delete'], {
            action_reason: 'delete_because_no_resource_config',
            before: dbBefore,
          }),
          rc('aws_route53_record.db', ['delete'], { action_reason: 'delete_because_no_resource_config' }),
          rc('aws_ssm_parameter.db_url', ['delete'], { action_reason: 'delete_because_no_resource_config' }),
          rc('aws_cloudwatch_metric_alarm.db_cpu', ['delete'], { action_reason: 'delete_because_no_resource_config' }),
        ],
        prior_state: {
          format_version: '1.0',
          values: {
            root_module: {
              resources: [
                { address: 'aws_db_instance.main', values: { password: 'hunter2' } },
                { address: 'aws_route53_record.db', depends_on: ['aws_db_instance.main'] },
                { address: 'aws_ssm_parameter.db_url', depends_on: ['aws_db_instance.main'] },
                { address: 'aws_cloudwatch_metric_alarm.db_cpu', depends_on: ['aws_db_instance.main'] },
              ],
            },
          },
        },
      }),
      errors: [
        { messageId: 'deleted', class: 'reversible-with-manual-repair', object: 'aws_cloudwatch_metric_alarm.db_cpu' },
        {
          messageId: 'deletedData',
          class: 'non-recoverable-without-restore',
          severity: 'error',
          file: 'plan.tfplan.json',
          line: 1,
          object: 'aws_db_instance.main',
          message:
            /aws_db_instance\.main is deleted because its block was removed from the configuration: it is an RDS database instance.*a final snapshot "orders-final" is taken first.*deleting it also deletes 3 dependents \(aws_cloudwatch_metric_alarm\.db_cpu, aws_route53_record\.db, aws_ssm_parameter\.db_url\)/,
        },
        { messageId: 'deleted', object: 'aws_route53_record.db' },
        { messageId: 'deleted', object: 'aws_ssm_parameter.db_url' },
      ],
    },
    {
      name: 'replacing a database through configuration references: re-created and updated dependents, across a module',
      after: planFile({
        resource_changes: [
          rc('aws_db_instance.main', ['delete', 'create'], {
            action_reason: 'replace_because_cannot_update',
            replace_paths: [['engine']],
            before: { skip_final_snapshot: true },
          }),
          rc('aws_route53_record.db', ['update']),
          rc('module.app.aws_ecs_service.api', ['update']),
          rc('module.app.aws_ecs_task_definition.api', ['create', 'delete'], {
            action_reason: 'replace_because_cannot_update',
          }),
        ],
        configuration,
      }),
      errors: [
        {
          messageId: 'replacedDataDeleteFirst',
          class: 'non-recoverable-without-restore',
          message:
            /aws_db_instance\.main is replaced, delete then create because engine changed.*skip_final_snapshot is true: no final snapshot is taken\); replacing it also re-creates 1 dependent \(module\.app\.aws_ecs_task_definition\.api\) and updates 2 \(aws_route53_record\.db, module\.app\.aws_ecs_service\.api\)$/,
        },
        {
          messageId: 'replacedCreateFirst',
          class: 'fully-reversible',
          severity: 'info',
          message: /create then delete.*updates 1 dependent \(module\.app\.aws_ecs_service\.api\)/,
        },
      ],
    },
    {
      name: 'a KMS key deleted: scheduled, cancel inside the window (manual repair), never a restore from a backup',
      after: planFile({
        resource_changes: [
          rc('aws_kms_key.data', ['delete'], {
            before: { deletion_window_in_days: 7, key_id: '1234abcd-12ab-34cd-56ef-1234567890ab' },
          }),
        ],
      }),
      errors: [
        {
          messageId: 'softDeleted',
          class: 'reversible-with-manual-repair',
          severity: 'error',
          object: 'aws_kms_key.data',
          message:
            'aws_kms_key.data is deleted: it is a KMS key: everything encrypted with it becomes unreadable once it is gone, and AWS only schedules the deletion: within the 7-day waiting period (deletion_window_in_days) bring it back with `aws kms cancel-key-deletion --key-id 1234abcd-12ab-34cd-56ef-1234567890ab && aws kms enable-key --key-id 1234abcd-12ab-34cd-56ef-1234567890ab`, then import it into state (a plain revert creates a new one instead); after the window everything encrypted with it is unreadable, beyond any backup',
        },
      ],
    },
    {
      name: 'a Secrets Manager secret deleted inside its recovery window; one with a window of 0 is gone at once',
      after: planFile({
        resource_changes: [
          rc('aws_secretsmanager_secret.api', ['delete'], {
            before: { arn: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:api-AbCdEf', name: 'api' },
          }),
          rc('aws_secretsmanager_secret.now', ['delete'], { before: { name: 'now', recovery_window_in_days: 0 } }),
        ],
      }),
      errors: [
        {
          messageId: 'softDeleted',
          class: 'reversible-with-manual-repair',
          message:
            /within the 30-day recovery window \(recovery_window_in_days\) bring it back with `aws secretsmanager restore-secret --secret-id arn:aws:secretsmanager:eu-west-1:111122223333:secret:api-AbCdEf`/,
        },
        {
          messageId: 'deletedData',
          class: 'non-recoverable-without-restore',
          object: 'aws_secretsmanager_secret.now',
          message: /recovery_window_in_days is 0: deleted at once, without recovery/,
        },
      ],
    },
    {
      name: 'stateless replace, delete first',
      after: planFile({
        resource_changes: [
          rc('terraform_data.db', ['delete', 'create'], {
            action_reason: 'replace_because_cannot_update',
            replace_paths: [['triggers_replace']],
          }),
        ],
      }),
      errors: [
        {
          messageId: 'replacedDeleteFirst',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          message:
            'terraform_data.db is replaced, delete then create because triggers_replace changed, which cannot be updated in place: the old object is gone before the new one exists',
        },
      ],
    },
    {
      name: 'a bucket replaced create-first still loses its objects',
      after: planFile({
        resource_changes: [
          rc('aws_s3_bucket.assets', ['create', 'delete'], {
            action_reason: 'replace_by_request',
            before: { force_destroy: false },
          }),
        ],
      }),
      errors: [
        {
          messageId: 'replacedDataCreateFirst',
          class: 'non-recoverable-without-restore',
          message:
            /as requested with -replace: it is an S3 bucket and its objects; the new one starts empty.*force_destroy is off: the delete fails while the bucket still holds objects/,
        },
      ],
    },
    {
      name: 'tainted and deposed objects',
      after: planFile({
        resource_changes: [
          rc('aws_instance.web', ['delete', 'create'], { action_reason: 'replace_because_tainted' }),
          rc('aws_instance.web', ['delete'], { deposed: '00000001' }),
        ],
      }),
      errors: [
        { messageId: 'deleted', message: /deposed object 00000001/ },
        { messageId: 'replacedDeleteFirst', message: /because it is tainted/ },
      ],
    },
    {
      name: 'a sensitive attribute is never printed',
      after: planFile({
        resource_changes: [
          rc('aws_db_instance.main', ['delete'], {
            before: { skip_final_snapshot: false, final_snapshot_identifier: 'secret-name' },
            before_sensitive: { final_snapshot_identifier: true },
          }),
        ],
      }),
      errors: [
        {
          messageId: 'deletedData',
          message:
            /skip_final_snapshot is false: a final snapshot is taken first \(the delete fails without final_snapshot_identifier\)/,
        },
      ],
    },
    {
      name: 'Kubernetes provider _v1 types are in the table',
      after: planFile({ resource_changes: [rc('kubernetes_persistent_volume_claim_v1.data', ['delete'])] }),
      errors: [
        { messageId: 'deletedData', class: 'non-recoverable-without-restore', message: /PersistentVolumeClaim/ },
      ],
    },
    {
      name: 'Kubernetes objects deleted, read from their prior values: by what their kind keeps, not as cloud objects with ids',
      after: planFile({
        resource_changes: [
          rc('kubectl_manifest.inflate', ['delete'], {
            before: {
              yaml_body: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: inflate\nspec:\n  replicas: 0\n',
              api_version: 'apps/v1',
              kind: 'Deployment',
              name: 'inflate',
              namespace: 'default',
            },
          }),
          rc('kubectl_manifest.recorded', ['delete'], {
            before: { api_version: 'v1', kind: 'ConfigMap', name: 'settings', namespace: 'apps' },
          }),
          rc('kubernetes_manifest.shop', ['delete'], {
            before: { manifest: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } } },
          }),
          rc('kubectl_manifest.pool', ['delete'], {
            before: { api_version: 'karpenter.sh/v1', kind: 'NodePool', name: 'default', namespace: null },
          }),
          rc('kubernetes_service_v1.web', ['delete'], {
            before: { metadata: [{ name: 'web', namespace: 'shop' }], spec: [{ type: 'LoadBalancer' }] },
          }),
          rc('kubectl_manifest.kept', ['delete'], {
            before: { api_version: 'v1', kind: 'Namespace', name: 'keep', apply_only: true },
          }),
        ],
      }),
      errors: [
        {
          messageId: 'deletedKubeObject',
          class: 'fully-reversible',
          severity: 'info',
          message:
            'kubectl_manifest.inflate is deleted: Terraform deletes Deployment default/inflate from the cluster; a Deployment holds nothing its configuration does not say (its pods are created anew), and a Kubernetes object is known by its kind, namespace and name, not by an id the cluster hands out: the apply of a revert creates it again under the same name',
        },
        { messageId: 'deletedKubeKept', class: 'fully-reversible', message: /Namespace keep stays in the cluster/ },
        {
          messageId: 'deletedCustomResource',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          message: /deletes NodePool default from the cluster, a custom resource/,
        },
        { messageId: 'deletedKubeObject', class: 'fully-reversible', message: /ConfigMap apps\/settings/ },
        {
          messageId: 'deletedData',
          class: 'non-recoverable-without-restore',
          message: /Namespace: Kubernetes deletes every object in it/,
        },
        { messageId: 'deletedKubeRepair', class: 'reversible-with-manual-repair', message: /Service shop\/web/ },
      ],
    },
  ],
});
