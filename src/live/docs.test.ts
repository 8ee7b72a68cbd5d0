import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { command } from '../cli/commands/check-targets.js';
import { SIGNATURE_TYPES } from './oci.js';
import { LIVE_STATUSES } from './types.js';

const doc = readFileSync(new URL('../../docs/live.md', import.meta.url), 'utf8');

describe('docs/live.md follows the code', () => {
  it('every status is in the failure-mode table', () => {
    for (const s of LIVE_STATUSES) expect(doc, s).toContain(`| \`${s}\` |`);
  });
  it('every check-targets flag is named', () => {
    for (const flag of Object.keys(command.options))
      if (!['output', 'repo', 'config'].includes(flag)) expect(doc, flag).toContain(`--${flag}`);
  });
  it('the signature types it recognises are the ones it documents', () => {
    for (const t of ['application/vnd.dev.cosign.artifact.sig.v1+json']) {
      expect(SIGNATURE_TYPES).toContain(t);
      expect(doc).toContain(t);
    }
  });
});
