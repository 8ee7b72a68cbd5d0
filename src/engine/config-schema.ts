import { z } from 'zod';

/**
 * `.rollwright.yaml`: read from the head revision (or from `--config FILE`), validated once here.
 * Every section has defaults, so a repository without a config file gets sensible behaviour.
 */
const ruleSetting = z.union([
  z.enum(['off', 'info', 'warning', 'error']),
  z
    .object({
      severity: z.enum(['off', 'info', 'warning', 'error']).optional(),
      options: z.record(z.string(), z.unknown()).optional(),
    })
    .strict(),
]);

const environment = z
  .object({
    /** Path globs of the files that deploy to this environment. */
    paths: z.array(z.string().min(1)).default([]),
    /** Whether a change touching this environment must carry a declaration; default true for prod/production. */
    requireDeclaration: z.boolean().optional(),
  })
  .strict();

const DEFAULT_ENVIRONMENTS_FOR_SCHEMA = {
  prod: { paths: ['**/prod/**', '**/production/**', '**/prd/**'] },
  staging: { paths: ['**/staging/**', '**/stage/**'] },
  dev: { paths: ['**/dev/**', '**/development/**'] },
};

export const ConfigSchema = z
  .object({
    kubernetes: z
      .object({
        /** The Kubernetes minor version the manifests are applied to, e.g. "1.34". */
        version: z
          // A YAML number loses trailing zeros (1.30 reads as 1.3): the version must be a string.
          .string({ error: 'write the version as a quoted string, e.g. "1.34" (a YAML number turns 1.30 into 1.3)' })
          .regex(/^v?1\.\d+(\.\d+)?$/, 'expected a Kubernetes version like "1.34"')
          .default('1.34'),
        /** The namespace of namespaced objects that do not name one. */
        defaultNamespace: z.string().min(1).default('default'),
      })
      .strict()
      .default({ version: '1.34', defaultNamespace: 'default' }),
    environments: z.record(z.string(), environment).default(DEFAULT_ENVIRONMENTS_FOR_SCHEMA as never),
    declarations: z
      .object({
        /** Where change declarations live in the repository. */
        dir: z.string().min(1).default('.rollwright/changes'),
      })
      .strict()
      .default({ dir: '.rollwright/changes' }),
    limits: z
      .object({
        /** Files larger than this are reported, not parsed. */
        maxFileBytes: z
          .number()
          .int()
          .positive()
          .default(8 * 1024 * 1024),
      })
      .strict()
      .default({ maxFileBytes: 8 * 1024 * 1024 }),
    /** Per rule (`<surface>/<rule-id>`): `off`, a severity, or `{ severity, options }`. */
    rules: z.record(z.string(), ruleSetting).default({}),
  })
  .strict();
