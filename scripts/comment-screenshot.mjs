// npm run docs:screenshots (after the dashboard): retakes docs/images/pr-comment.png, the picture of
// the pull request comment in docs/ci.md. It builds the bundled example's history, renders step
// STEP's assessment with `-o comment`, turns it into HTML with marked (GitHub-flavoured Markdown, as
// GitHub renders a comment) in a 900 px column styled like a GitHub comment, and screenshots it in
// Debian's Chromium (playwright-core with /usr/bin/chromium, never a downloaded browser). A person
// looks at the picture and commits it; tests never write into the tree.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { marked } from 'marked';
import { chromium } from 'playwright-core';
import { buildExampleRepo } from '../examples/build-history.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(root, 'dist', 'cli.cjs');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const STEP = process.env.STEP ?? '09-checkout-v2-understated';
const OUT = join(root, 'docs', 'images', 'pr-comment.png');
const fail = (m) => {
  process.stderr.write(`comment-screenshot: ${m}\n`);
  process.exit(2);
};
if (!existsSync(CLI)) fail(`${CLI} is missing: run npm run build`);
if (!existsSync(CHROMIUM)) fail(`${CHROMIUM} is missing: apt-get install chromium (or set CHROMIUM)`);

const dir = mkdtempSync(join(tmpdir(), 'rollwright-comment-'));
try {
  mkdirSync(join(dir, 'repo'));
  const { steps } = buildExampleRepo(join(dir, 'repo'));
  const step = steps.find((s) => s.slug === STEP) ?? fail(`no example step ${STEP}`);
  const r = spawnSync(
    process.execPath,
    [CLI, 'assess', '--repo', join(dir, 'repo'), '--base', step.parent, '--head', step.sha, '-o', 'comment'],
    { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
  );
  if (r.status !== 0 && r.status !== 1) fail(`assess exited ${r.status}: ${r.stderr}`);
  // GitHub shows :x: and friends as emoji.
  // (Debian's Chromium has no colour emoji font: the shortcodes are drawn as coloured symbols.)
  const emoji = {
    ':x:': '<span style="color:#d1242f">✖</span>',
    ':warning:': '<span style="color:#9a6700">⚠</span>',
    ':information_source:': '<span style="color:#0969da">ℹ</span>',
    ':white_check_mark:': '<span style="color:#1a7f37">✔</span>',
  };
  const body = marked
    .parse(r.stdout, { gfm: true, async: false })
    .replace(/:(x|warning|information_source|white_check_mark):/g, (m) => emoji[m]);
  const html = `<!doctype html><meta charset="utf-8"><style>
    body { margin: 0; background: #fff; font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; color: #1f2328; }
    .comment { width: 900px; box-sizing: border-box; margin: 16px; border: 1px solid #d1d9e0; border-radius: 6px; }
    .head { background: #f6f8fa; border-bottom: 1px solid #d1d9e0; padding: 8px 16px; color: #59636e; border-radius: 6px 6px 0 0; }
    .head b { color: #1f2328; }
    .body { padding: 16px; }
    h3 { font-size: 1.25em; margin: 0 0 16px; }
    h4 { font-size: 1em; margin: 16px 0 8px; }
    p, ul, pre, table, details, blockquote { margin: 0 0 16px; }
    ul { padding-left: 2em; }
    code { font: 85% ui-monospace, SFMono-Regular, "DejaVu Sans Mono", Menlo, monospace; background: #eff1f3; padding: .2em .4em; border-radius: 6px; }
    pre { background: #f6f8fa; padding: 16px; border-radius: 6px; overflow: auto; }
    pre code { background: none; padding: 0; font-size: 85%; }
    table { border-collapse: collapse; display: block; overflow: auto; }
    th, td { border: 1px solid #d1d9e0; padding: 6px 13px; }
    tr:nth-child(2n) { background: #f6f8fa; }
    summary { cursor: pointer; }
    blockquote { border-left: .25em solid #d1d9e0; padding: 0 1em; color: #59636e; }
    a { color: #0969da; text-decoration: none; }
  </style><div class="comment"><div class="head"><b>github-actions</b> bot commented</div><div class="body">${body}</div></div>`;
  const page = join(dir, 'comment.html');
  writeFileSync(page, html);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const p = await browser.newPage({ viewport: { width: 932, height: 800 }, deviceScaleFactor: 1 });
    await p.goto(`file://${page}`);
    await p.locator('.comment').screenshot({ path: OUT });
  } finally {
    await browser.close();
  }
  process.stdout.write(`wrote ${OUT} (example step ${STEP})\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
