/**
 * Compares two service version strings by their numbers in order (`15.4` < `15.10`,
 * `8.0.mysql_aurora.3.05.2` < `8.0.mysql_aurora.3.06.0`, `1.29` < `1.30`): negative when `a` is older.
 */
export function compareVersions(a: string, b: string): number {
  const na = (a.match(/\d+/g) ?? []).map(Number);
  const nb = (b.match(/\d+/g) ?? []).map(Number);
  for (let i = 0; i < Math.max(na.length, nb.length); i++) {
    const d = (na[i] ?? 0) - (nb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
