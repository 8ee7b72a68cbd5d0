/** Types of corpus.mjs (plain ESM, so that `npm run accuracy` needs no TypeScript). */
export declare const ROOT: string;
export declare const CASES_DIR: string;
export declare const BASELINE_FILE: string;
export declare const CLASSES: readonly string[];
export declare const SURFACES: readonly string[];
export declare const OFFLINE_PROXY: string;

export interface CorpusCase {
  /** `<surface>/<slug>`, from the file's path under accuracy/cases/. */
  id: string;
  file: string;
  surface: string;
  title: string;
  rationale: string;
  source: string;
  mode: 'assess' | 'revert';
  config?: string;
  message?: string;
  before: Record<string, string>;
  after: Record<string, string | null>;
  plan?: string;
  requires: string[];
  expect: { class: string; rules: string[]; info: string[] };
}

export interface CaseFinding {
  rule: string;
  severity: 'info' | 'warning' | 'error';
  class: string;
  file: string;
  line: number;
  message: string;
}

export interface CaseResult {
  id: string;
  skipped?: string;
  error?: string;
  class?: string;
  findings?: CaseFinding[];
  ms?: number;
}

export interface Judged {
  id: string;
  status: 'ran' | 'error' | 'skipped';
  reason?: string;
  pass: boolean;
  classVerdict: 'exact' | 'lenient' | 'over' | 'under' | 'error' | 'skipped';
  expected?: string;
  actual?: string;
  tp: string[];
  fp: string[];
  fn: string[];
}

export interface RuleFigures {
  tp: number;
  fp: number;
  fn: number;
  precision: number | null;
  recall: number | null;
}

export interface Score {
  figures: {
    cases: number;
    skipped: number;
    errors: number;
    passed: number;
    exact: number | null;
    lenient: number | null;
    underStated: number;
    precision: number | null;
    recall: number | null;
  };
  counts: { exact: number; lenient: number; tp: number; fp: number; fn: number };
  rules: Record<string, RuleFigures>;
  perSurface: Record<string, { cases: number; exact: number; lenient: number; passed: number; skipped: number }>;
  judged: Judged[];
}

export interface Baseline {
  schema: string;
  figures: Partial<Score['figures']>;
  rules: Record<string, { precision: number | null; recall: number | null; tp: number; fp: number; fn: number }>;
  cases: Record<string, { pass: boolean; class: Judged['classVerdict'] }>;
}

/** What the corpus runs a case with: the library's public functions. */
export interface AccuracyLibrary {
  assess: (opts: any) => Promise<any>;
  checkRevert: (opts: any) => Promise<any>;
  surfaces: readonly unknown[];
  allRules: () => readonly unknown[];
}

export declare function loadCases(dir?: string): CorpusCase[];
export declare function checkCase(id: string, doc: unknown): string[];
export declare function headTree(c: CorpusCase): Record<string, string>;
export declare function hasTool(name: string): boolean;
export declare function runCases(
  lib: AccuracyLibrary,
  cases: CorpusCase[],
  opts?: { concurrency?: number; onResult?: (c: CorpusCase, r: CaseResult) => void },
): Promise<CaseResult[]>;
export declare function judge(c: CorpusCase, r: CaseResult): Judged;
export declare function score(cases: CorpusCase[], results: CaseResult[]): Score;
export declare function toBaseline(s: Score): Baseline;
export declare function regressions(s: Score, baseline: Baseline): string[];
export declare function improvements(s: Score, baseline: Baseline): string[];
export declare function newCases(s: Score, baseline: Baseline): string[];
export declare function whyFailed(j: Judged): string;
export declare function readBaseline(file?: string): Baseline | null;
export declare function writeBaseline(s: Score, file?: string): void;
export declare function report(
  cases: CorpusCase[],
  results: CaseResult[],
  s: Score,
  opts?: { findings?: boolean; registered?: Set<string> },
): string;
