/** Test fixtures shared by the secrets case tables. Ciphertexts are fake but shaped like SOPS output. */
export const enc = (tag: string) => `ENC[AES256_GCM,data:${tag}Zm9vYmFy,iv:aXZpdml2aXZpdml2,tag:dGFndGFn,type:str]`;

export function sopsYaml(
  password: string,
  user: string,
  recipient = 'age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq',
  extra = '',
): string {
  return `database:
  user: ${enc(user)}
  password: ${enc(password)}
${extra}sops:
  age:
    - recipient: ${recipient}
      enc: |
        -----BEGIN AGE ENCRYPTED FILE-----
        ZmFrZQ==
        -----END AGE ENCRYPTED FILE-----
  lastmodified: "2026-03-01T10:00:00Z"
  mac: ${enc('mac' + password)}
  version: 3.9.0
`;
}

export function externalSecret(version: string, extra = ''): string {
  return `apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: db
  namespace: shop
spec:
  refreshInterval: 1h
  secretStoreRef: {kind: ClusterSecretStore, name: vault}
  target:
    name: db-credentials
${extra}  data:
    - secretKey: password
      remoteRef:
        key: shop/db
        property: password
        version: "${version}"
`;
}
