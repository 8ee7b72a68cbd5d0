import { RollwrightError } from '../core/errors.js';

/**
 * The ledger's chain does not verify: an event was edited, deleted or reordered. Exit code 1, like a
 * failed gate: the command ran correctly and found the evidence untrustworthy.
 */
export class ChainBrokenError extends RollwrightError {
  override name = 'ChainBrokenError';
  override readonly exitCode = 1;
}
