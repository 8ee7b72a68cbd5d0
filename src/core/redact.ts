/**
 * Secrets that repository text carries into messages, removed before any report or log:
 *
 * - credentials in URLs: the userinfo of `https://user:token@host/...` (an Argo CD repoURL, a Helm
 *   repository, a kustomize remote base, a Terraform module source) and every query value that is
 *   not known to be harmless (`?sshkey=`, `?token=`, a signed URL's signature);
 * - SQL literals: the string constants of a statement a migration failed on (an INSERT of user
 *   data, an `ALTER ROLE ... PASSWORD '...'`), and the values PostgreSQL quotes in its errors.
 */

/** Query parameters whose values are never secret and are kept in output. */
const SAFE_PARAMS = new Set(['ref', 'rev', 'depth', 'archive', 'checksum', 'version', 'region', 'filename']);
/** SSH users that are a convention, not a credential. */
const SSH_USERS = new Set(['git', 'hg']);

/** The URL with userinfo and secret query values replaced by `***`. */
export function redactUrl(source: string): string {
  const q = source.indexOf('?');
  const base = q < 0 ? source : source.slice(0, q);
  const query = q < 0 ? '' : source.slice(q + 1);
  let out = stripCredentials(base);
  if (q >= 0) {
    const parts = query.split('&').map((p) => {
      const eq = p.indexOf('=');
      const name = eq < 0 ? p : p.slice(0, eq);
      if (eq < 0) return p;
      return SAFE_PARAMS.has(name.toLowerCase()) ? p : `${name}=***`;
    });
    out += `?${parts.join('&')}`;
  }
  return out;
}

const URL_IN_TEXT = /(?:[a-z][a-z0-9]*::)?[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`\])]+/gi;

/** Redacts every URL-looking token of a free text (messages, error messages, parser diagnostics). */
export function redactUrls(text: string): string {
  if (!text.includes('://')) return text;
  return text.replace(URL_IN_TEXT, (url) => redactUrl(url));
}

/** A URL without `?query`, with its userinfo replaced by `***` (git@ and hg@ over ssh kept). */
export function stripCredentials(base: string): string {
  return base.replace(
    /^((?:[a-z][a-z0-9+.-]*::)?[a-z][a-z0-9+.-]*:\/\/)([^/@?#]+)@/i,
    (whole, scheme: string, info: string) => {
      const isSsh = /^(?:[a-z]+::)?ssh:\/\//i.test(scheme) || /^(?:git|hg)\+ssh/i.test(scheme);
      if (isSsh && !info.includes(':') && SSH_USERS.has(info.toLowerCase())) return whole;
      return `${scheme}***@`;
    },
  );
}

/**
 * A SQL statement with its string constants replaced by `'***'`: standard `'...'` strings (with
 * `''` inside), `E'...'` strings (with backslash escapes), and dollar-quoted `$tag$...$tag$` bodies.
 * Identifiers, keywords and numbers stay, so the statement is still recognisable.
 */
export function redactSqlLiterals(sql: string): string {
  return sql.replace(/\$([A-Za-z_][A-Za-z0-9_]*)?\$[\s\S]*?\$\1\$|[eE]'(?:[^'\\]|\\.|'')*'?|'(?:[^']|'')*'?/g, (m) =>
    m.startsWith('$') ? `$$***$$` : m[0] === 'e' || m[0] === 'E' ? "E'***'" : "'***'",
  );
}

/**
 * A database error message with the values it quotes removed: PostgreSQL names a value in
 * `invalid input syntax for type integer: "..."`, `invalid input value for enum ...: "..."` and
 * `Key (email)=(...) already exists`; string literals a message echoes are redacted too.
 */
export function redactSqlError(message: string): string {
  return redactSqlLiterals(message)
    .replace(/(invalid input (?:syntax|value) for [^:\n]+): ".*?"(?=$|\n|[,;)])/g, '$1: "***"')
    .replace(/\b(Key \([^)]*\))=\((?:[^()]|\([^)]*\))*\)/g, '$1=(***)');
}
