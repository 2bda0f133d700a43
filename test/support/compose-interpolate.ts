/**
 * What Compose makes of a value: `${NAME:-default}` becomes `env[NAME]` (the default when unset
 * or empty) and `$$` a literal `$`. Only the forms compose.yaml uses.
 */
export function interpolate(value: string, env: Record<string, string> = {}): string {
  return value.replace(/\$\$|\$\{(\w+):-([^}]*)\}/g, (whole, name?: string, fallback?: string) =>
    whole === '$$' ? '$' : env[name ?? ''] || (fallback ?? ''),
  );
}
