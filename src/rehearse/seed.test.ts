import { describe } from 'vitest';
import { openPglite } from './driver.js';
import { seedCases } from './seed-cases.js';

describe('seeding on PGlite', () => {
  seedCases(() => openPglite);
});
