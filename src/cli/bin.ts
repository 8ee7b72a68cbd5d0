import { runCli } from './main.js';

/** The `rollwright` executable: everything else is importable without side effects. */
runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
