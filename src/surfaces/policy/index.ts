import type { Surface, SurfaceContext } from '../../core/surface.js';
import { claimsManifest } from '../../kube/objects.js';
import { objectsContext } from '../../kube/objects.js';
import { GATEKEEPER_CONSTRAINTS, GATEKEEPER_TEMPLATES, KYVERNO_GROUP, KYVERNO_KINDS, isPolicy } from './model.js';
import type { RegoContext } from './context.js';
import { policyRules, regoRules } from './rules/index.js';

export const policy: Surface = {
  id: 'policy',
  name: 'Admission policy',
  summary:
    'Kyverno policies and exceptions, Gatekeeper templates and constraints, ValidatingAdmissionPolicy bindings, Rego files: loosening (a compliance gap) versus tightening (a rollback blocker), exceptions without expiry.',
  claims: (p) => claimsManifest(p) || /\.rego$/i.test(p),
  kinds: [
    ...KYVERNO_KINDS.map((k) => `${KYVERNO_GROUP}/${k}`),
    `${GATEKEEPER_TEMPLATES}/ConstraintTemplate`,
    `${GATEKEEPER_CONSTRAINTS}/*`,
  ],
  rules: [...policyRules, ...regoRules].sort((a, b) => (a.id < b.id ? -1 : 1)),
  async assess(ctx: SurfaceContext): Promise<void> {
    const rego = ctx.files.filter((f) => /\.rego$/i.test(f.path));
    const yaml = ctx.files.filter((f) => !/\.rego$/i.test(f.path));
    const ctxYaml = { ...ctx, files: yaml };
    const wanted = yaml.some((f) =>
      /kyverno\.io|gatekeeper\.sh|ValidatingAdmissionPolicy/.test(`${f.oldText ?? ''}${f.newText ?? ''}`),
    );
    const octx = wanted ? await objectsContext(ctxYaml, isPolicy) : undefined;
    const files: RegoContext['rego'] = rego.map((f) => ({
      path: f.path,
      ...(f.oldText !== undefined ? { before: f.oldText } : {}),
      ...(f.newText !== undefined ? { after: f.newText } : {}),
    }));
    if (octx?.changes.length || files.length)
      await ctx.run([...policyRules, ...regoRules], {
        changes: [],
        before: [],
        after: [],
        config: ctx.config,
        ...octx,
        rego: files,
      });
  },
};
