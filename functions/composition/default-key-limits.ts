/** The `standard` preset's limits of a stage (DEFAULT_KEY_LIMITS), apart so it loads no environment. */
import { ConfigError } from '../../lib/core/index.js';
import { type KeyLimits, KeyLimitsSchema, STANDARD_KEY_LIMITS } from '../../lib/domain/index.js';

/** The stage's limits of a `standard` key: DEFAULT_KEY_LIMITS over STANDARD_KEY_LIMITS, each one checked. */
export function defaultKeyLimits(configured: Readonly<Record<string, number>> | undefined): KeyLimits {
  const parsed = KeyLimitsSchema.strict().safeParse({ ...STANDARD_KEY_LIMITS, ...configured });
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => {
      const name = issue.path.map(String).join('.');
      return `DEFAULT_KEY_LIMITS${name ? `.${name}` : ''}: ${issue.code === 'unrecognized_keys' ? 'names an unknown limit' : issue.message}`;
    }),
  );
}
