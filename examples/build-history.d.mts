/** Types of build-history.mjs (plain ESM, so that `node examples/run.mjs` needs no TypeScript). */
export declare const EXAMPLE_DIR: string;

export interface ExampleStepSource {
  slug: string;
  dir: string;
  subject: string;
  message: string;
  /** Paths under files/, relative, with `/`. */
  files: string[];
  /** Paths listed in delete.txt. */
  deletes: string[];
  /** Absolute path of the step's plan.json (a Terraform plan assessed with --plan), when it has one. */
  plan?: string;
}

export interface ExampleStep {
  slug: string;
  subject: string;
  sha: string;
  parent: string;
  plan?: string;
}

export declare function loadSteps(): ExampleStepSource[];
export declare function buildExampleRepo(dir: string): { dir: string; initial: string; steps: ExampleStep[] };
