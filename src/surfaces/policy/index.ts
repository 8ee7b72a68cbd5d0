import { claimsManifest } from '../../kube/objects.js';
import { kubeSurface } from '../../kube/surface.js';
import { isRegoPath, regoContext } from './context.js';
import { GATEKEEPER_CONSTRAINTS, GATEKEEPER_TEMPLATES, KYVERNO_GROUP, KYVERNO_KINDS, isPolicy } from './model.js';
import { policyRules, regoRules } from './rules/index.js';

export const policy = kubeSurface({
  id: 'policy',
  name: 'Admission policy',
  summary:
    'Kyverno policies and exceptions, Gatekeeper templates and constraints, ValidatingAdmissionPolicy bindings, Rego files: loosening (a compliance gap) versus tightening (a rollback blocker), exceptions without expiry.',
  claims: (p) => claimsManifest(p) || isRegoPath(p),
  kinds: [
    ...KYVERNO_KINDS.map((k) => `${KYVERNO_GROUP}/${k}`),
    `${GATEKEEPER_TEMPLATES}/ConstraintTemplate`,
    `${GATEKEEPER_CONSTRAINTS}/*`,
  ],
  rules: [...policyRules, ...regoRules].sort((a, b) => (a.id < b.id ? -1 : 1)),
  mentions: /kyverno\.io|gatekeeper\.sh|ValidatingAdmissionPolicy/,
  read: (p) => !isRegoPath(p),
  select: isPolicy,
  context: regoContext,
});
