/** Test fixtures shared by the progressive delivery case tables. */
export function rollout(image: string, canary: string): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: web
  namespace: shop
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "${image}"}]
  strategy:
    canary:
${canary}`;
}
export const STEPS = '      steps: [{setWeight: 20}, {pause: {duration: 10m}}]\n';
export const WITH_ANALYSIS = `${STEPS}      analysis:\n        templates: [{templateName: success-rate}]\n`;
