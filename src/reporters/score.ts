/**
 * `rollwright score` renderings: text for a terminal, a markdown page for a repository's docs, and a
 * shields-style SVG badge (made here: no network, no font files; widths from a per-character table).
 */
import type { ScoreStatus } from '../core/vocabulary.js';
import type { ScoreItem, ScoreReport, Trend } from '../engine/score/types.js';
import { painter, shortRev, type Style } from './common.js';
import { code, escapeText, table } from './md.js';

const STATUS_STYLE: Record<ScoreStatus, Style> = { pass: 'green', partial: 'yellow', fail: 'red', unknown: 'dim' };
const TREND_MARK: Record<Trend, string> = { up: '↑', down: '↓', same: '=', new: 'new' };

function scoreLine(r: ScoreReport): string {
  const c = r.counts;
  const score = r.score === null ? 'no item could be decided' : `${r.score}/100`;
  const prev =
    r.previous === null
      ? ''
      : `; previous run ${r.previous.at.slice(0, 10)} (#${r.previous.seq}): ${r.previous.score === null ? '-' : `${r.previous.score}/100`}`;
  return `${score} (${c.pass} pass, ${c.partial} partial, ${c.fail} fail, ${c.unknown} unknown${prev})`;
}

const trendText = (i: ScoreItem) =>
  i.trend === undefined
    ? ''
    : ` ${TREND_MARK[i.trend]}${i.trend === 'up' || i.trend === 'down' ? ` (was ${i.previous})` : ''}`;

export function renderScoreText(r: ScoreReport, opts: { color?: boolean } = {}): string {
  const paint = painter(opts.color ?? false);
  const out = [
    paint('bold', `Production readiness of ${r.name} at ${shortRev(r.head)}: ${scoreLine(r)}`),
    `History since ${r.windowStart.slice(0, 10)} (--since ${r.since}); ledger: ${r.ledger ?? 'none'}`,
    '',
  ];
  const width = Math.max(...r.items.map((i) => i.status.length));
  for (const i of r.items) {
    out.push(
      `${paint(STATUS_STYLE[i.status], i.status.toUpperCase().padEnd(width))}  ${paint('bold', i.title)} [${i.id}]${trendText(i)}`,
    );
    for (const e of i.evidence) out.push(`${' '.repeat(width + 2)}${e}`);
    if (i.fix) out.push(`${' '.repeat(width + 2)}${paint('dim', `fix: ${i.fix}`)}`);
  }
  if (r.recorded) out.push('', `Recorded in the ledger as score.recorded #${r.recorded.seq}.`);
  return out.join('\n') + '\n';
}

export function renderScoreMarkdown(r: ScoreReport, badge?: string): string {
  const out = [
    '# Production readiness',
    '',
    ...(badge ? [`![rollback readiness](${badge})`, ''] : []),
    `**${escapeText(scoreLine(r))}** for ${code(r.name)} at ${code(shortRev(r.head))}, history since ${r.windowStart.slice(0, 10)}.`,
    '',
    ...table(
      ['item', 'status', 'trend'],
      r.items.map((i) => [
        `[${escapeText(i.title)}](#${i.id})`,
        `**${i.status}**`,
        i.trend === undefined ? '' : escapeText(TREND_MARK[i.trend]),
      ]),
    ),
    '',
  ];
  for (const i of r.items) {
    out.push(`<a id="${i.id}"></a>`, '', `## ${escapeText(i.title)}: ${i.status}`, '');
    for (const e of i.evidence) out.push(`- ${escapeText(e)}`);
    if (i.fix) out.push('', `**Fix:** ${escapeText(i.fix)}`);
    out.push('');
  }
  out.push(
    `The score counts pass as 1, partial as 0.5 and fail as 0, averaged over the items that could be decided; unknown items are left out. Made by \`rollwright score\`.`,
    '',
  );
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Badge

/** Verdana 11px advance widths (tenths of a pixel) of the characters a badge uses; others count as 7px. */
const WIDTHS: Record<string, number> = {
  ' ': 35,
  '/': 44,
  '0': 70,
  '1': 70,
  '2': 70,
  '3': 70,
  '4': 70,
  '5': 70,
  '6': 70,
  '7': 70,
  '8': 70,
  '9': 70,
  a: 66,
  b: 69,
  c: 58,
  d: 69,
  e: 66,
  f: 39,
  g: 69,
  h: 70,
  i: 30,
  k: 65,
  l: 30,
  m: 107,
  n: 70,
  o: 67,
  p: 69,
  r: 47,
  s: 57,
  t: 43,
  u: 70,
  w: 90,
  y: 65,
  '-': 48,
  '%': 120,
  '?': 59,
};

function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += WIDTHS[ch] ?? 70;
  return Math.round(w / 10);
}

/** The colour of a score: red below 50, orange below 70, yellow below 90, green from 90. */
function scoreColor(score: number | null): string {
  if (score === null) return '#9f9f9f';
  if (score >= 90) return '#4c1';
  if (score >= 70) return '#dfb317';
  if (score >= 50) return '#fe7d37';
  return '#e05d44';
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A flat shields-style badge: `rollback readiness | 64%`. */
export function renderScoreBadge(r: Pick<ScoreReport, 'score'>, label = 'rollback readiness'): string {
  const value = r.score === null ? 'unknown' : `${r.score}%`;
  const lw = textWidth(label) + 10;
  const vw = textWidth(value) + 10;
  const w = lw + vw;
  const color = scoreColor(r.score);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${xml(label)}: ${xml(value)}">`,
    `<title>${xml(label)}: ${xml(value)}</title>`,
    '<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>',
    `<clipPath id="r"><rect width="${w}" height="20" rx="3" fill="#fff"/></clipPath>`,
    `<g clip-path="url(#r)"><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${vw}" height="20" fill="${color}"/><rect width="${w}" height="20" fill="url(#s)"/></g>`,
    '<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">',
    `<text x="${lw / 2}" y="15" fill="#010101" fill-opacity=".3">${xml(label)}</text><text x="${lw / 2}" y="14">${xml(label)}</text>`,
    `<text x="${lw + vw / 2}" y="15" fill="#010101" fill-opacity=".3">${xml(value)}</text><text x="${lw + vw / 2}" y="14">${xml(value)}</text>`,
    '</g></svg>',
    '',
  ].join('\n');
}
