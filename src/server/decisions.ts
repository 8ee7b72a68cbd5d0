import { InputError } from '../core/errors.js';
import { prepareEvent } from '../ledger/record.js';
import type { Ledger } from '../ledger/store.js';
import { describeStore, type StoreSpec } from '../ledger/store-spec.js';
import { HttpProblem } from './http.js';
import { asProblem } from './ingest.js';
import { invalid, obj, optObj, optStr } from './sources/draft.js';

/**
 * `POST /api/v1/decisions`: `rollwright decide` on the server's repository mirror (`--repo`), through
 * the same entry points the library exports (gatherDecisionInput, decide, renderDecision), and the
 * decision recorded as `decision.made` for the incident with the payload the CLI records (decisionPayload). The facts a caller
 * does not state are assumed (the safe value) and listed, as `decide` does off a terminal.
 */
export async function postDecision(
  ledger: Ledger,
  store: StoreSpec,
  repo: string | undefined,
  body: unknown,
  actor: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  if (repo === undefined)
    throw new HttpProblem(
      501,
      'No repository',
      'this server was started without --repo: it has no repository mirror to decide on',
    );
  const S = 'decisions';
  const b = obj(body, S, '(body)');
  for (const k of Object.keys(b))
    if (!['change', 'incident', 'env', 'facts', 'record'].includes(k))
      throw invalid(S, k, 'unknown field (known: change, incident, env, facts, record)');
  const change = optStr(b.change, S, 'change');
  if (change === undefined) throw invalid(S, 'change', 'is required: a commit, a range A..B or a change id');
  const incident = optStr(b.incident, S, 'incident');
  const env = optStr(b.env, S, 'env');
  const factsIn = optObj(b.facts, S, 'facts');
  const factArgs: string[] = [];
  for (const [k, v] of Object.entries(factsIn)) {
    if (typeof v !== 'string' && typeof v !== 'boolean')
      throw invalid(S, `facts.${k}`, 'must be a string or a boolean');
    factArgs.push(`${k}=${typeof v === 'boolean' ? (v ? 'yes' : 'no') : v}`);
  }
  if (b.record !== undefined && typeof b.record !== 'boolean') throw invalid(S, 'record', 'must be a boolean');
  const [{ parseFacts }, { gatherDecisionInput }, { decide }, { decisionPayload }, { renderDecision }] =
    await Promise.all([
      import('../engine/decide/facts.js'),
      import('../engine/decide/gather/index.js'),
      import('../engine/decide/decide.js'),
      import('../engine/decide/record.js'),
      import('../reporters/decision.js'),
    ]);
  let decision: ReturnType<typeof decide>;
  let gathered: Awaited<ReturnType<typeof gatherDecisionInput>>;
  try {
    const facts = parseFacts(factArgs);
    gathered = await gatherDecisionInput({
      repo,
      change,
      facts,
      store: store.kind === 'sqlite' ? `sqlite:${store.path}` : store.url,
      ...(env !== undefined ? { env } : {}),
      ...(incident !== undefined ? { incident } : {}),
      // The rollback targets are checked live, as by the CLI (ROLLWRIGHT_OFFLINE=1 turns it off).
      live: {},
    });
    decision = decide(gathered.input);
  } catch (e) {
    throw asProblem(e);
  }
  const rendered = JSON.parse(renderDecision(decision, 'json')) as Record<string, unknown>;
  let recorded: { seq: number; incident: string } | null = null;
  let notRecorded: string | null = null;
  if (b.record === false) notRecorded = 'record: false';
  else if (gathered.incident === null)
    notRecorded = `no incident in the ledger (${describeStore(store)}) names ${change}: record incident.detected first, or pass incident`;
  else {
    try {
      const event = await prepareEvent(ledger, {
        type: 'decision.made',
        incident: gathered.incident,
        actor,
        payload: decisionPayload(decision, gathered.input.facts),
      });
      const [e] = await ledger.append([event]);
      recorded = { seq: e!.seq, incident: gathered.incident };
    } catch (e) {
      if (e instanceof InputError) notRecorded = e.message;
      else throw asProblem(e);
    }
  }
  return { status: recorded ? 201 : 200, body: { decision: rendered, recorded, notRecorded } };
}
