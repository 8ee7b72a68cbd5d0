import type { RollwrightConfig } from '../core/config.js';
import type { Ledger } from '../ledger/store.js';
import type { StoreSpec } from '../ledger/store-spec.js';

/** The options of `rollwright serve` (startServer). */
export interface ServeOptions {
  ledger: Ledger;
  store: StoreSpec;
  config: RollwrightConfig;
  /** The repository mirror `POST /decisions` decides on. */
  repo?: string;
  host: string;
  port: number;
  /** Read endpoints and the dashboard without a token. */
  publicRead?: boolean;
  /** Largest request body, in bytes. */
  maxBody?: number;
  /** Requests per second per token (a bucket of twice that); 0 turns the limit off. */
  rateLimit?: number;
  /** Seconds a request may take, from its first byte to the response. */
  requestTimeout?: number;
  /** HMAC secrets: GitHub's webhook secret, Flux's generic-hmac token. */
  secrets?: { github?: string; flux?: string };
  /** Seconds between background verifications of the whole chain; 0 turns them off. */
  verifyEvery?: number;
  /** Where request logs go (one JSON line each); never a token or a body. */
  log?: (line: string) => void;
}
