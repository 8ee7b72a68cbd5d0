import { afterAll, describe, expect, it } from 'vitest';
import { GitRepo } from '../../../git/repo.js';
import { GitFixture } from '../../../testing/git-fixture.js';
import { iacToolsFor, type IacTool } from './iac-tool.js';
import { findWorkspaces } from './repository.js';

const TF_LOCK = `provider "registry.terraform.io/hashicorp/aws" {\n  version = "5.80.0"\n}\n`;
const TOFU_LOCK = `provider "registry.opentofu.org/hashicorp/aws" {\n  version = "5.80.0"\n}\n`;
const MAIN = `terraform {\n  required_version = ">= 1.6"\n}\nresource "aws_s3_bucket" "b" {}\n`;

/** The tool for `dir` in a repository holding exactly `files`. */
async function toolOf(dir: string, files: Record<string, string>): Promise<IacTool> {
  const tools = await iacToolsFor([dir], Object.keys(files), async (p) => files[p]);
  return tools.get(dir)!;
}

describe('iacToolsFor: the command of a root module, from the repository', () => {
  const cases: Array<[string, string, Record<string, string>, IacTool]> = [
    [
      'nothing names a tool: terraform, said to be assumed',
      'infra',
      { 'infra/main.tf': MAIN },
      { tool: 'terraform', from: 'assumed' },
    ],
    [
      'required_version alone decides nothing (both tools check it)',
      'infra',
      { 'infra/main.tf': `terraform { required_version = "~> 1.8" }\n` },
      { tool: 'terraform', from: 'assumed' },
    ],
    [
      'the lock file of a Terraform root',
      'infra',
      { 'infra/main.tf': MAIN, 'infra/.terraform.lock.hcl': TF_LOCK },
      { tool: 'terraform', from: 'infra/.terraform.lock.hcl (providers from registry.terraform.io)' },
    ],
    [
      'the lock file of an OpenTofu root',
      'infra',
      { 'infra/main.tf': MAIN, 'infra/.terraform.lock.hcl': TOFU_LOCK },
      { tool: 'tofu', from: 'infra/.terraform.lock.hcl (providers from registry.opentofu.org)' },
    ],
    [
      'a .tofu file',
      'infra',
      { 'infra/main.tofu': MAIN },
      { tool: 'tofu', from: 'infra/main.tofu (only OpenTofu reads .tofu files)' },
    ],
    [
      'tfenv pin at the repository root',
      'infra/prod',
      { 'infra/prod/main.tf': MAIN, '.terraform-version': '1.11.0\n' },
      { tool: 'terraform', from: '.terraform-version' },
    ],
    [
      'tofuenv pin wins over a Terraform lock in the same directory',
      'infra',
      { 'infra/main.tf': MAIN, 'infra/.terraform.lock.hcl': TF_LOCK, 'infra/.opentofu-version': '1.9.0\n' },
      { tool: 'tofu', from: 'infra/.opentofu-version' },
    ],
    [
      "the nearest directory wins: a root pin loses to the module's own lock",
      'infra',
      { '.opentofu-version': '1.9.0\n', 'infra/main.tf': MAIN, 'infra/.terraform.lock.hcl': TF_LOCK },
      { tool: 'terraform', from: 'infra/.terraform.lock.hcl (providers from registry.terraform.io)' },
    ],
    [
      'asdf .tool-versions',
      'infra',
      { 'infra/main.tf': MAIN, '.tool-versions': 'nodejs 20.19.0\nopentofu 1.9.0\n' },
      { tool: 'tofu', from: '.tool-versions (opentofu)' },
    ],
    [
      'mise.toml',
      'infra',
      { 'infra/main.tf': MAIN, 'mise.toml': '[tools]\nterraform = "1.11"\n' },
      { tool: 'terraform', from: 'mise.toml (terraform)' },
    ],
    [
      'Terragrunt terraform_binary',
      'live/prod',
      { 'live/prod/main.tf': MAIN, 'live/terragrunt.hcl': 'terraform_binary = "tofu"\n' },
      { tool: 'tofu', from: 'live/terragrunt.hcl (terraform_binary = "tofu")' },
    ],
    [
      'tfaction terraform_command',
      'aws',
      { 'aws/main.tf': MAIN, 'tfaction-root.yaml': 'terraform_command: tofu\n' },
      { tool: 'tofu', from: 'tfaction-root.yaml (terraform_command: tofu)' },
    ],
    [
      'the CI setup step when the tree says nothing',
      '.',
      {
        'main.tf': MAIN,
        '.github/workflows/plan.yml': 'jobs:\n  p:\n    steps:\n      - uses: hashicorp/setup-terraform@v3\n',
      },
      { tool: 'terraform', from: '.github/workflows/plan.yml (hashicorp/setup-terraform)' },
    ],
    [
      'the CI setup step for OpenTofu',
      '.',
      { 'main.tf': MAIN, '.github/workflows/plan.yml': '      - uses: opentofu/setup-opentofu@v1\n' },
      { tool: 'tofu', from: '.github/workflows/plan.yml (opentofu/setup-opentofu)' },
    ],
    [
      'a .tool-versions without either tool is no signal',
      'infra',
      { 'infra/main.tf': MAIN, '.tool-versions': 'nodejs 20\n' },
      { tool: 'terraform', from: 'assumed' },
    ],
  ];
  it.each(cases)('%s', async (_name, dir, files, want) => {
    expect(await toolOf(dir, files)).toEqual(want);
  });

  it('each root module gets its own tool', async () => {
    const files = {
      'a/main.tf': MAIN,
      'a/.terraform.lock.hcl': TF_LOCK,
      'b/main.tf': MAIN,
      'b/.terraform.lock.hcl': TOFU_LOCK,
    };
    const tools = await iacToolsFor(['a', 'b'], Object.keys(files), async (p) => files[p as keyof typeof files]);
    expect([tools.get('a')!.tool, tools.get('b')!.tool]).toEqual(['terraform', 'tofu']);
  });
});

describe('findWorkspaces on a real repository', () => {
  const f = GitFixture.create('rollwright-iac-tool-');
  afterAll(() => f.cleanup());

  it('names the tool of the changed root module from its committed lock file', async () => {
    f.commit('infra', { 'infra/main.tf': MAIN, 'infra/.terraform.lock.hcl': TF_LOCK });
    f.commit('bucket tag', { 'infra/main.tf': MAIN.replace('{}', '{\n  tags = { team = "web" }\n}') });
    const repo = await GitRepo.open(f.dir);
    try {
      await repo.resolveRange({ base: 'HEAD~1', head: 'HEAD' });
      expect(await findWorkspaces(repo, ['infra/main.tf'])).toEqual([
        {
          dir: 'infra',
          tool: 'terraform',
          toolFrom: 'infra/.terraform.lock.hcl (providers from registry.terraform.io)',
        },
      ]);
    } finally {
      repo.close();
    }
  });
});
