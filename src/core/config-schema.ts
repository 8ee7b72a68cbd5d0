import * as z from 'zod/mini';
import { DURATION_RE, EVIDENCE_ITEMS, RULE_KEY_RE } from './vocabulary.js';

/**
 * `.rollwright.yaml`: read from the head revision (or from `--config FILE`), validated once here.
 * Every section has defaults, so a repository without a config file gets sensible behaviour.
 * zod/mini (not classic zod): a third of the import cost, which every run with a config pays.
 */
const severityOrOff = z.enum(['off', 'info', 'warning', 'error']);

const ruleSetting = z.union([
  severityOrOff,
  z.strictObject({
    severity: z.optional(severityOrOff),
    options: z.optional(z.record(z.string(), z.unknown())),
  }),
]);

const environment = z.strictObject({
  /** Path globs of the files that deploy to this environment. */
  paths: z._default(z.array(z.string().check(z.minLength(1))), []),
  /** Whether a change touching this environment must carry a declaration; default true for prod/production. */
  requireDeclaration: z.optional(z.boolean()),
  /** Evidence items a rollback here must produce (the ledger's `evidence show`); default: all nine (docs/concepts.md#evidence). */
  evidence: z.optional(z.array(z.enum(EVIDENCE_ITEMS))),
});

/** A duration such as `5m`, `24h`, `1h30m` (units ms, s, m, h, d, w). */
const duration = z
  .string({ error: 'write a duration such as 5m, 10m or 24h' })
  .check(z.regex(DURATION_RE, 'write a duration such as 5m, 10m or 24h'));

/** Rollback SLO targets of one service (docs/concepts.md#slo-phases), each phase optional. */
const sloTargets = z.strictObject({
  detect: z.optional(duration),
  decide: z.optional(duration),
  execute: z.optional(duration),
  verify: z.optional(duration),
  evidence: z.optional(duration),
});

/**
 * Whether a connection URL carries a password written out (`user:secret@`, `?password=`), rather than
 * none or a `${VAR}` reference that the environment fills in.
 */
export function hasLiteralPassword(url: string): boolean {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)@/i.exec(url);
  const userinfo = m?.[1];
  if (userinfo !== undefined && userinfo.includes(':')) {
    const pass = userinfo.slice(userinfo.indexOf(':') + 1);
    if (pass !== '' && !/^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(pass)) return true;
  }
  const query = /[?&]password=([^&#]*)/i.exec(url)?.[1];
  return query !== undefined && query !== '' && !/^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(query);
}

const DEFAULT_ENVIRONMENTS_FOR_SCHEMA = {
  prod: { paths: ['**/prod/**', '**/production/**', '**/prd/**'] },
  staging: { paths: ['**/staging/**', '**/stage/**'] },
  dev: { paths: ['**/dev/**', '**/development/**'] },
};

export const ConfigSchema = z.strictObject({
  kubernetes: z._default(
    z.strictObject({
      /** The Kubernetes minor version the manifests are applied to, e.g. "1.34". */
      version: z._default(
        // A YAML number loses trailing zeros (1.30 reads as 1.3): the version must be a string.
        z
          .string({ error: 'write the version as a quoted string, e.g. "1.34" (a YAML number turns 1.30 into 1.3)' })
          .check(z.regex(/^v?1\.\d+(\.\d+)?$/, 'expected a Kubernetes version like "1.34"')),
        '1.34',
      ),
      /** The namespace of namespaced objects that do not name one. */
      defaultNamespace: z._default(z.string().check(z.minLength(1)), 'default'),
    }),
    { version: '1.34', defaultNamespace: 'default' },
  ),
  environments: z._default(z.record(z.string(), environment), DEFAULT_ENVIRONMENTS_FOR_SCHEMA as never),
  declarations: z._default(
    z.strictObject({
      /** Where change declarations live in the repository. */
      dir: z._default(z.string().check(z.minLength(1)), '.rollwright/changes'),
    }),
    { dir: '.rollwright/changes' },
  ),
  limits: z._default(
    z.strictObject({
      /** Files larger than this are reported, not parsed. */
      maxFileBytes: z._default(z.int().check(z.positive()), 8 * 1024 * 1024),
      /** A change of more files than this is an input error (exit 2) saying how to raise it; `--max-files` overrides. */
      maxFiles: z._default(z.int().check(z.positive()), 100_000),
      /** Reading more bytes of changed files (both sides) than this is an input error; `--max-bytes` overrides. */
      maxBytes: z._default(z.int().check(z.positive()), 512 * 1024 * 1024),
    }),
    { maxFileBytes: 8 * 1024 * 1024, maxFiles: 100_000, maxBytes: 512 * 1024 * 1024 },
  ),
  /** SQL migrations: extra globs of plain ordered migration folders, the old application's queries, the dialect. */
  database: z._default(
    z.strictObject({
      migrations: z._default(z.array(z.string().check(z.minLength(1))), []),
      queries: z._default(z.array(z.string().check(z.minLength(1))), []),
      dialect: z._default(z.enum(['postgres', 'mysql']), 'postgres'),
    }),
    { migrations: [], queries: [], dialect: 'postgres' },
  ),
  /**
   * Paths whose files are known to be safe although rollwright cannot read them (a binary, a link, a
   * format no surface reads): each entry names its globs and says why. Without `rules`, only the
   * findings about a file that could not be read are lifted (listed under skipped with the reason);
   * what a surface reads is assessed as always. With `rules`, the findings of those rules in those
   * paths are also ignored: still reported, marked ignored with the reason, out of the gate and class.
   */
  ignore: z._default(
    z.array(
      z.strictObject({
        paths: z.array(z.string().check(z.minLength(1))).check(z.minLength(1, 'list at least one path glob')),
        reason: z
          .string({ error: 'say why these files are safe to leave unread' })
          .check(z.trim(), z.minLength(1, 'say why these files are safe to leave unread')),
        /** Rules (`<surface>/<rule-id>`) whose findings in these paths are ignored, with the reason. */
        rules: z.optional(
          z
            .array(
              z
                .string()
                .check(z.regex(RULE_KEY_RE, 'name the rule as <surface>/<rule-id>, e.g. kubernetes/image-changed')),
            )
            .check(z.minLength(1, 'list at least one rule, or leave rules out')),
        ),
      }),
    ),
    [],
  ),
  /**
   * The evidence ledger this repository's team shares: `ledger.store` is `postgres://user@host/db`
   * (the password from PGPASSWORD or ~/.pgpass, never this file), `${VAR}` references expanded from
   * the environment (`${ROLLWRIGHT_LEDGER_URL}`), or `sqlite:PATH` relative to the repository.
   * `--store` and ROLLWRIGHT_STORE take precedence; without any, a SQLite file in the user's state directory.
   */
  ledger: z.optional(
    z.strictObject({
      store: z.optional(
        z.string().check(
          z.minLength(1),
          z.refine(
            (s) => !hasLiteralPassword(s),
            'a password here would be committed with the repository: write the URL without it and set PGPASSWORD (or use ~/.pgpass), or write ${VAR} for the part that holds it',
          ),
        ),
      ),
    }),
  ),
  /** Per rule (`<surface>/<rule-id>`): `off`, a severity, or `{ severity, options }`. */
  rules: z._default(z.record(z.string(), ruleSetting), {}),
  /** Rollback SLO targets per service, `*` for services not listed: `{ checkout: { detect: 5m, decide: 10m } }`. No default. */
  rollbackSLO: z.optional(z.record(z.string().check(z.minLength(1)), sloTargets)),
  /** `rollwright serve`: which alert labels name the service and the environment of an alert. */
  serve: z.optional(
    z.strictObject({
      alertLabels: z.optional(
        z.strictObject({
          service: z.optional(z.string().check(z.minLength(1))),
          environment: z.optional(z.string().check(z.minLength(1))),
        }),
      ),
    }),
  ),
});

/**
 * The zod/mini functions a rule's options schema may use (RuleOptions.schema). A named object rather
 * than the whole namespace, so the bundle keeps only these (the namespace would pull in every locale).
 */
export const optionsZod = {
  array: z.array,
  boolean: z.boolean,
  enum: z.enum,
  int: z.int,
  minLength: z.minLength,
  number: z.number,
  object: z.object,
  optional: z.optional,
  positive: z.positive,
  record: z.record,
  regex: z.regex,
  strictObject: z.strictObject,
  string: z.string,
  union: z.union,
};
export type OptionsZod = typeof optionsZod;
