/** Test fixtures shared by the CRD case tables. */
export interface V {
  name: string;
  served?: boolean;
  storage?: boolean;
  schema?: string;
}

const DEFAULT_SCHEMA = `          type: object
          properties:
            spec:
              type: object
              properties:
                size: {type: string, enum: [small, large]}
`;

export function crd(versions: V[]): string {
  return `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
${versions
  .map(
    (v) => `    - name: ${v.name}
      served: ${v.served ?? true}
      storage: ${v.storage ?? false}
      schema:
        openAPIV3Schema:
${v.schema ?? DEFAULT_SCHEMA}`,
  )
  .join('')}`;
}
