import { defineCommand } from '../define.js';

declare const __VERSION__: string | undefined;
/** The package version, set by the build; `0.0.0-dev` when run from the sources. */
export const VERSION: string = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

export const command = defineCommand({
  name: 'version',
  usage: ['rollwright version', 'rollwright --version'],
  exitCodes: { 0: 'printed', 2: 'usage error' },
  run: async () => ({ stdout: `${VERSION}\n`, exitCode: 0 }),
});
