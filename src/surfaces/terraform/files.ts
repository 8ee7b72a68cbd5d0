/** Which changed files the terraform surface reads, and as what: by path only (asked for every changed file). */
/** Terraform and OpenTofu configuration files. */
export const HCL = /\.(tf|tofu)$/;
const HCL_JSON = /\.(tf|tofu)\.json$/;
const LOCK = /(^|\/)\.terraform\.lock\.hcl$/;
const BACKEND_FILE = /\.tfbackend$/;
const STATE = /(^|\/)[^/]*\.tfstate(\.[^/]*)?$/;
const SCRIPTS = [
  /\.(sh|bash|zsh|ksh|ps1|psm1|bat|cmd|mk)$/i,
  /(^|\/)(Makefile|GNUmakefile|makefile|Justfile|justfile|Jenkinsfile|Earthfile|Taskfile\.ya?ml)$/,
  /^\.github\/(workflows|actions)\/.+\.ya?ml$/,
  /(^|\/)\.gitlab-ci\.ya?ml$/,
  /^\.gitlab\/.+\.ya?ml$/,
  /^\.circleci\/.+\.ya?ml$/,
  /^\.buildkite\/.+\.ya?ml$/,
  /(^|\/)(azure-pipelines|bitbucket-pipelines|buildspec|cloudbuild|atlantis|\.drone|\.woodpecker|\.travis)\.ya?ml$/,
];

export type TerraformFileKind = 'hcl' | 'hcl-json' | 'lock' | 'backend' | 'state' | 'script';

/** What a path is to this surface, or undefined when it does not read it. Path only: called for every changed file. */
export function terraformFileKind(path: string): TerraformFileKind | undefined {
  if (HCL.test(path)) return 'hcl';
  if (HCL_JSON.test(path)) return 'hcl-json';
  if (LOCK.test(path)) return 'lock';
  if (BACKEND_FILE.test(path)) return 'backend';
  if (STATE.test(path)) return 'state';
  if (SCRIPTS.some((re) => re.test(path))) return 'script';
  return undefined;
}
