import { createHash } from 'node:crypto';
import {
  atMost,
  clip,
  defined,
  invalid,
  obj,
  optObj,
  optStr,
  optTime,
  str,
  type MapOptions,
  type Mapped,
} from './draft.js';

const SOURCE = 'alertmanager';

/**
 * Alertmanager's webhook (payload version 4, as `webhook_config` sends it):
 *
 * | alert field                          | ledger                                                          |
 * |--------------------------------------|-----------------------------------------------------------------|
 * | `status: firing`                     | `incident.detected`, at `startsAt`                              |
 * | `fingerprint` + `startsAt`           | the incident id `am-<fingerprint>-<startsAt>`                   |
 * | `labels.service` / `labels.env`      | service / environment (label names set in `.rollwright.yaml`)   |
 * | (ledger) latest `change.deployed`    | the change: the service's latest deployment in that environment |
 * | `labels.severity`, `labels.alertname`| `severity`, `alert`                                             |
 * | `annotations.description`/`summary`  | `description`                                                   |
 * | `status: resolved`                   | `recovery.verified result=passed` at `endsAt` (health proven)   |
 * | `generatorURL`                       | `metrics` of the verification                                   |
 *
 * Delivery key per alert: status, fingerprint and startsAt. The group key is left out on purpose:
 * the same alert routed to two receivers (two group keys) is one incident, recorded once.
 */
export function mapAlertmanager(body: unknown, opts: MapOptions): Mapped {
  const p = obj(body, SOURCE, '(body)');
  if (p.version !== undefined && p.version !== '4')
    throw invalid(SOURCE, 'version', `webhook payload version ${JSON.stringify(p.version)} is not supported (4 is)`);
  if (!Array.isArray(p.alerts)) throw invalid(SOURCE, 'alerts', 'must be a list');
  if (p.alerts.length > 1000) throw invalid(SOURCE, 'alerts', `${p.alerts.length} alerts in one payload; at most 1000`);
  const out: Mapped = { drafts: [], ignored: [] };
  p.alerts.forEach((a: unknown, i: number) => {
    const at = `alerts[${i}]`;
    const alert = obj(a, SOURCE, at);
    const status = str(alert.status, SOURCE, `${at}.status`);
    if (status !== 'firing' && status !== 'resolved')
      throw invalid(SOURCE, `${at}.status`, `must be firing or resolved, got ${JSON.stringify(status)}`);
    const labels = optObj(alert.labels, SOURCE, `${at}.labels`);
    for (const [k, v] of Object.entries(labels))
      if (typeof v !== 'string') throw invalid(SOURCE, `${at}.labels.${k}`, 'must be a string');
    const annotations = optObj(alert.annotations, SOURCE, `${at}.annotations`);
    const startsAt = optTime(alert.startsAt, SOURCE, `${at}.startsAt`);
    if (startsAt === undefined) throw invalid(SOURCE, `${at}.startsAt`, 'is required');
    const fingerprint =
      optStr(alert.fingerprint, SOURCE, `${at}.fingerprint`) ?? labelFingerprint(labels as Record<string, string>);
    if (!/^[0-9a-zA-Z]{1,64}$/.test(fingerprint))
      throw invalid(SOURCE, `${at}.fingerprint`, 'must be 1 to 64 letters and digits');
    const incident = `am-${fingerprint}-${startsAt.replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z')}`;
    const service = labels[opts.serviceLabel] as string | undefined;
    const environment = labels[opts.environmentLabel] as string | undefined;
    const generatorURL = optStr(alert.generatorURL, SOURCE, `${at}.generatorURL`);
    const alertname = labels.alertname as string | undefined;
    if (status === 'firing') {
      out.drafts.push({
        key: `${SOURCE}:firing:${fingerprint}:${startsAt}`,
        changeFromDeployment: service !== undefined,
        record: {
          type: 'incident.detected',
          incident,
          ...(service !== undefined ? { service } : {}),
          ...(environment !== undefined ? { environment } : {}),
          at: atMost(startsAt, opts.now)!,
          actor: SOURCE,
          payload: defined({
            severity: clip(labels.severity as string | undefined),
            description: clip(
              (optStr(annotations.description, SOURCE, `${at}.annotations.description`) ??
                optStr(annotations.summary, SOURCE, `${at}.annotations.summary`)) as string | undefined,
            ),
            source: SOURCE,
            alert: clip(alertname),
          }),
        },
      });
    } else {
      const endsAt = optTime(alert.endsAt, SOURCE, `${at}.endsAt`);
      out.drafts.push({
        key: `${SOURCE}:resolved:${fingerprint}:${startsAt}`,
        skipUnknownIncident: true,
        record: {
          type: 'recovery.verified',
          incident,
          at: atMost(endsAt ?? new Date(opts.now).toISOString(), opts.now)!,
          actor: SOURCE,
          payload: defined({
            result: 'passed',
            checks: [`alert ${alertname ?? fingerprint} resolved`],
            metrics: clip(generatorURL),
          }),
        },
      });
    }
  });
  return out;
}

/** Alertmanager's fingerprint is a hash of the label set; a payload without one gets ours, as stable. */
function labelFingerprint(labels: Record<string, string>): string {
  const text = Object.keys(labels)
    .sort()
    .map((k) => `${k}\u0000${labels[k]}`)
    .join('\u0001');
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
