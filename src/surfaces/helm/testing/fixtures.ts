/** Test fixtures shared by the Helm case tables. */
export const chart = (version: string, deps = '') =>
  `apiVersion: v2\nname: shop\nversion: ${version}\nappVersion: "2.0"\n${deps}`;
