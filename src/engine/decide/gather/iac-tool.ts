import { posix } from 'node:path';

/**
 * Which command runs a Terraform/OpenTofu root module, read from the repository the way the team's own
 * tooling reads it. Both tools share the language, the lock file's name and `required_version`, so the
 * signals are the ones that name one tool:
 *
 * - a version-manager pin: `.opentofu-version` (tofuenv, tenv) or `.terraform-version` (tfenv, tenv);
 *   a `.tool-versions` (asdf) or `mise.toml` entry for `opentofu` or `terraform`;
 * - a wrapper's setting: Terragrunt's `terraform_binary = "tofu"` (Terragrunt runs `terraform` unless
 *   told otherwise, falling back to `tofu` only when `terraform` is not installed), tfaction's
 *   `terraform_command: tofu`;
 * - the provider addresses in `.terraform.lock.hcl`: OpenTofu resolves `hashicorp/aws` against
 *   `registry.opentofu.org` and locks that address, Terraform against `registry.terraform.io`;
 * - `*.tofu` files, which only OpenTofu reads;
 * - the CI's setup step (`opentofu/setup-opentofu` or `hashicorp/setup-terraform` in a GitHub workflow).
 *
 * The nearest signal wins: the root module's own directory, then each parent up to the repository's
 * root, then the CI workflows. `required_version` is not a signal: each tool checks it against its own
 * version. With no signal at all the command is `terraform`, and the decision says it was assumed.
 */
export interface IacTool {
  tool: 'terraform' | 'tofu';
  /** What decided it: a file and what it says, or `assumed` when nothing in the repository names a tool. */
  from: string;
}

type Reader = (path: string) => Promise<string | undefined>;

const VERSION_FILES: ReadonlyArray<[string, IacTool['tool']]> = [
  ['.opentofu-version', 'tofu'],
  ['.terraform-version', 'terraform'],
];

/** A tool named by one directory's own files, strongest signal first. */
async function inDirectory(dir: string, files: ReadonlySet<string>, read: Reader): Promise<IacTool | undefined> {
  const at = (name: string) => (dir === '' ? name : `${dir}/${name}`);
  for (const [name, tool] of VERSION_FILES) if (files.has(at(name))) return { tool, from: at(name) };
  const toolVersions = at('.tool-versions');
  if (files.has(toolVersions)) {
    const text = (await read(toolVersions)) ?? '';
    const m = /^\s*(opentofu|terraform)\s+\S/m.exec(text);
    if (m) return { tool: m[1] === 'opentofu' ? 'tofu' : 'terraform', from: `${toolVersions} (${m[1]})` };
  }
  for (const name of ['mise.toml', '.mise.toml']) {
    const path = at(name);
    if (!files.has(path)) continue;
    const m = /^\s*"?(opentofu|terraform)"?\s*=/m.exec((await read(path)) ?? '');
    if (m) return { tool: m[1] === 'opentofu' ? 'tofu' : 'terraform', from: `${path} (${m[1]})` };
  }
  for (const name of ['terragrunt.hcl', 'root.hcl']) {
    const path = at(name);
    if (!files.has(path)) continue;
    const m = /^\s*terraform_binary\s*=\s*"([^"]+)"/m.exec((await read(path)) ?? '');
    const bin = m ? posix.basename(m[1]!) : undefined;
    if (bin === 'tofu' || bin === 'terraform') return { tool: bin, from: `${path} (terraform_binary = "${m![1]}")` };
  }
  for (const name of ['tfaction.yaml', 'tfaction-root.yaml']) {
    const path = at(name);
    if (!files.has(path)) continue;
    const m = /^\s*terraform_command:\s*["']?(tofu|terraform)["']?\s*$/m.exec((await read(path)) ?? '');
    if (m) return { tool: m[1] as IacTool['tool'], from: `${path} (terraform_command: ${m[1]})` };
  }
  const lock = at('.terraform.lock.hcl');
  if (files.has(lock)) {
    const text = (await read(lock)) ?? '';
    if (/^\s*provider\s+"registry\.opentofu\.org\//m.test(text))
      return { tool: 'tofu', from: `${lock} (providers from registry.opentofu.org)` };
    if (/^\s*provider\s+"registry\.terraform\.io\//m.test(text))
      return { tool: 'terraform', from: `${lock} (providers from registry.terraform.io)` };
  }
  const tofuFile = [...files].find(
    (p) => p.endsWith('.tofu') && (posix.dirname(p) === '.' ? '' : posix.dirname(p)) === dir,
  );
  if (tofuFile) return { tool: 'tofu', from: `${tofuFile} (only OpenTofu reads .tofu files)` };
  return undefined;
}

/** The tool for each root module directory (`''` or `.` for the repository's root). */
export async function iacToolsFor(
  dirs: readonly string[],
  listing: readonly string[],
  read: Reader,
): Promise<Map<string, IacTool>> {
  const files = new Set(listing);
  const byDir = new Map<string, IacTool | undefined>();
  const dirTool = async (dir: string) => {
    if (!byDir.has(dir)) byDir.set(dir, await inDirectory(dir, files, read));
    return byDir.get(dir);
  };
  let ci: IacTool | undefined | null = null;
  const ciTool = async (): Promise<IacTool | undefined> => {
    if (ci !== null) return ci;
    ci = undefined;
    for (const path of listing.filter((p) => /^\.github\/workflows\/[^/]+\.ya?ml$/.test(p)).sort()) {
      const text = (await read(path)) ?? '';
      if (/uses:\s*["']?opentofu\/setup-opentofu@/.test(text))
        return (ci = { tool: 'tofu', from: `${path} (opentofu/setup-opentofu)` });
      if (/uses:\s*["']?hashicorp\/setup-terraform@/.test(text))
        return (ci = { tool: 'terraform', from: `${path} (hashicorp/setup-terraform)` });
    }
    return ci;
  };
  const out = new Map<string, IacTool>();
  for (const raw of dirs) {
    const start = raw === '.' ? '' : raw;
    let found: IacTool | undefined;
    for (let d: string | undefined = start; d !== undefined && !found; d = d === '' ? undefined : parentOf(d))
      found = await dirTool(d);
    out.set(raw, found ?? (await ciTool()) ?? { tool: 'terraform', from: 'assumed' });
  }
  return out;
}

function parentOf(dir: string): string {
  const p = posix.dirname(dir);
  return p === '.' ? '' : p;
}
