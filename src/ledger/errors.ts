import { InputError, RollwrightError } from '../core/errors.js';

/**
 * The ledger's chain does not verify: an event was edited, deleted or reordered. Exit code 1, like a
 * failed gate: the command ran correctly and found the evidence untrustworthy.
 */
export class ChainBrokenError extends RollwrightError {
  override name = 'ChainBrokenError';
  override readonly exitCode = 1;
}

/** An `incident.detected` for an incident the ledger has already detected: an incident is detected once. */
export class IncidentDetectedError extends InputError {
  override name = 'IncidentDetectedError';
  constructor(
    readonly incident: string,
    readonly seq: number,
    readonly occurredAt: string,
  ) {
    super(`incident ${incident} was already detected (event #${seq} at ${occurredAt}); nothing was recorded`);
  }
}
