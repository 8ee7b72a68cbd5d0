import { describe } from 'vitest';
import { openPglite } from './driver.js';
import { formatCases, rehearsalCases } from './cases.js';

describe('rehearsal on PGlite', () => {
  rehearsalCases(() => openPglite);
  formatCases(() => openPglite);
});
