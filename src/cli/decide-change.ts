import type { GatherOptions, Gathered } from '../engine/decide/gather/index.js';

/**
 * Before deciding: when the commits a change id resolved to change only change declarations (a
 * declaration added and edited in commits of its own, and nothing that ties them to the change's own
 * commits), say so on stderr; on a terminal, ask for the change's commits and gather again with them.
 * The decision itself also carries the warning (`resolution.declarationOnly`).
 */
export async function confirmCommits(g: Gathered, opts: GatherOptions, ask: boolean): Promise<Gathered> {
  const r = g.input.resolution;
  if (!r?.declarationOnly) return g;
  const shas = r.commits.map((c) => c.sha.slice(0, 12)).join(', ');
  process.stderr.write(
    `rollwright: warning: ${g.input.change} resolved to ${shas} (${r.how}), which change only change declarations: ` +
      `the decision would be about a declaration, not the change.\n`,
  );
  if (!ask) {
    process.stderr.write(
      `  Name the change's commits with --change A..B, or record where it shipped: rollwright record change.deployed --change ${g.input.change} --data commit=<merge or commit> ...\n`,
    );
    return g;
  }
  const [{ askLine }, { gatherDecisionInput }] = await Promise.all([
    import('./prompt.js'),
    import('../engine/decide/gather/index.js'),
  ]);
  let regathered: Gathered | undefined;
  await askLine(
    `  The change's own commits (a commit or a range A..B; Enter goes on with ${shas}): `,
    { input: process.stdin, output: process.stderr },
    async (answer) => {
      try {
        regathered = await gatherDecisionInput({ ...opts, commits: answer });
        return undefined;
      } catch (e) {
        return e instanceof Error ? e.message : String(e);
      }
    },
  );
  return regathered ?? g;
}
