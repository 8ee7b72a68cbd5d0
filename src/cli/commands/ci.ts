import { readFile } from 'node:fs/promises';
import type { Forge } from '../../ci/comments.js';
import { InputError, UsageError } from '../../core/errors.js';
import { defineCommand, subcommand } from '../define.js';
import { count, outputOption } from '../flags.js';

export const command = defineCommand({
  name: 'ci',
  usage: [
    'rollwright ci comment --body-file FILE [--env NAME] [--project NAME] [--repo-slug OWNER/NAME] [--pr N] [flags]',
  ],
  description: `CI integration. \`ci comment\` keeps one sticky comment per pull request (GitHub) or merge
request (GitLab) and per environment and project: the first run creates it, every later run edits it
in place. In GitHub Actions and GitLab CI every flag but --body-file comes from the job's variables.

The token is read from the environment only (GITHUB_TOKEN, GITLAB_TOKEN), never from a flag, and is
never printed.`,
  exitCodes: {
    0: 'the comment was created, updated, or already up to date',
    2: 'usage or input error, or the API refused: the message names the HTTP status and the endpoint',
    3: 'internal error',
  },
  subcommands: {
    comment: subcommand({
      summary:
        'create or update the sticky pull/merge request comment keyed by environment and project, with the body of --body-file (`assess -o comment`)',
      options: {
        'body-file': {
          type: 'string',
          metavar: 'FILE',
          description: 'the comment body, Markdown (- for stdin); `rollwright assess -o comment` writes one',
        },
        env: {
          type: 'string',
          metavar: 'NAME',
          description: 'the environment the comment reports on: one comment per environment',
        },
        project: {
          type: 'string',
          metavar: 'NAME',
          description: 'the project or component the comment reports on (a monorepo runs one job per project)',
        },
        forge: {
          type: 'string',
          metavar: 'NAME',
          choices: { github: 'GitHub or GitHub Enterprise', gitlab: 'GitLab' },
          defaultText: 'gitlab when GITLAB_CI=true, else github',
          description: 'the forge whose API to use',
        },
        'repo-slug': {
          type: 'string',
          metavar: 'SLUG',
          defaultText: '$GITHUB_REPOSITORY; $CI_PROJECT_ID on GitLab',
          description: 'GitHub: owner/name; GitLab: the project id or its group/project path',
        },
        pr: {
          type: 'string',
          metavar: 'N',
          parse: count(1),
          defaultText: 'pull_request.number in $GITHUB_EVENT_PATH; $CI_MERGE_REQUEST_IID on GitLab',
          description: 'the pull request number (GitHub) or merge request IID (GitLab)',
        },
        'api-url': {
          type: 'string',
          metavar: 'URL',
          defaultText: '$GITHUB_API_URL or https://api.github.com; $CI_API_V4_URL on GitLab',
          description: 'the REST API root (GitHub Enterprise: https://HOST/api/v3)',
        },
        output: outputOption({ text: '', json: 'schema rollwright.ci-comment/v1' }),
      },
      run: async (opts) => {
        const env = process.env;
        const forge: Forge = (opts.forge as Forge | undefined) ?? (env.GITLAB_CI === 'true' ? 'gitlab' : 'github');
        if (opts.bodyFile === undefined) throw new UsageError('ci comment needs --body-file FILE (- for stdin)');
        const body = await readBody(opts.bodyFile);
        const target = await targetOf(forge, { repoSlug: opts.repoSlug, pr: opts.pr, apiUrl: opts.apiUrl }, env);
        const { upsertComment } = await import('../../ci/comments.js');
        const r = await upsertComment(target, { env: opts.env, project: opts.project }, body);
        const where = forge === 'github' ? `${target.repo}#${target.number}` : `${target.repo}!${target.number}`;
        if (opts.output === 'json')
          return {
            stdout: JSON.stringify({ schema: 'rollwright.ci-comment/v1', forge, target: where, ...r }, null, 2) + '\n',
            exitCode: 0,
          };
        return { stdout: `${r.action} comment ${r.id} on ${where}${r.url ? `: ${r.url}` : ''}\n`, exitCode: 0 };
      },
    }),
  },
});

async function readBody(file: string): Promise<string> {
  try {
    const text = file === '-' ? await readStdin() : await readFile(file, 'utf8');
    if (!text.trim()) throw new InputError('the comment body is empty', file === '-' ? '<stdin>' : file);
    return text;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`cannot read the comment body: ${(e as Error).message}`, file);
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Where the comment goes, from the flags, else the CI job's variables: GitHub Actions sets
 * GITHUB_REPOSITORY, GITHUB_API_URL and GITHUB_EVENT_PATH (the event payload, whose `pull_request.number`
 * is the pull request); GitLab CI sets CI_PROJECT_ID, CI_API_V4_URL and, in merge request pipelines,
 * CI_MERGE_REQUEST_IID.
 */
export async function targetOf(
  forge: Forge,
  flags: { repoSlug?: string | undefined; pr?: number | undefined; apiUrl?: string | undefined },
  env: NodeJS.ProcessEnv,
) {
  if (forge === 'github') {
    const repo = flags.repoSlug ?? env.GITHUB_REPOSITORY;
    if (!repo) throw new UsageError('ci comment needs --repo-slug OWNER/NAME (or GITHUB_REPOSITORY)');
    const number = flags.pr ?? (await prOfEvent(env.GITHUB_EVENT_PATH));
    const token = env.GITHUB_TOKEN ?? '';
    if (!token)
      throw new UsageError(
        'ci comment needs GITHUB_TOKEN in the environment (in a workflow: env: GITHUB_TOKEN: ${{ github.token }})',
      );
    return { forge, repo, number, token, apiUrl: flags.apiUrl ?? env.GITHUB_API_URL ?? 'https://api.github.com' };
  }
  const repo = flags.repoSlug ?? env.CI_PROJECT_ID;
  if (!repo) throw new UsageError('ci comment needs --repo-slug PROJECT (or CI_PROJECT_ID)');
  const iid =
    flags.pr ?? (env.CI_MERGE_REQUEST_IID ? count(1)(env.CI_MERGE_REQUEST_IID, 'CI_MERGE_REQUEST_IID') : undefined);
  if (iid === undefined)
    throw new UsageError('ci comment needs --pr N (or CI_MERGE_REQUEST_IID: run the job in a merge request pipeline)');
  const token = env.GITLAB_TOKEN ?? '';
  if (!token)
    throw new UsageError(
      'ci comment needs GITLAB_TOKEN in the environment: a project access token with the api scope (CI_JOB_TOKEN cannot write notes)',
    );
  return { forge, repo, number: iid, token, apiUrl: flags.apiUrl ?? env.CI_API_V4_URL ?? 'https://gitlab.com/api/v4' };
}

/** The pull request number of a GitHub Actions event payload (pull_request, pull_request_target, issue_comment). */
async function prOfEvent(path: string | undefined): Promise<number> {
  if (!path) throw new UsageError('ci comment needs --pr N (or GITHUB_EVENT_PATH from a pull_request event)');
  let event: Record<string, unknown>;
  try {
    event = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new InputError(`cannot read the event payload: ${(e as Error).message}`, path);
  }
  const pr = event?.pull_request as { number?: unknown } | undefined;
  const issue = event?.issue as { number?: unknown; pull_request?: unknown } | undefined;
  const n = pr?.number ?? (issue?.pull_request ? issue.number : undefined);
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1)
    throw new UsageError(
      `the workflow's event (${path}) is not about a pull request: run on pull_request, or pass --pr N`,
    );
  return n;
}
