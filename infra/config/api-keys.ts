/**
 * Where a stage's API keys come from. The HTTP functions receive them as the API_KEYS env var, a JSON
 * array of `{"owner","sha256"}` (memory/reference/platform-contract.md); a key is never held in clear.
 *
 * - dev: one documented development key, inline (below). It is not a secret: dev holds synthetic data only.
 * - staging/prod: an SSM String parameter holding that JSON array, read by CloudFormation at deploy time
 *   (a `AWS::SSM::Parameter::Value<String>` template parameter), so no hash is written into the template.
 *   Create it before the first deploy:
 *   `aws ssm put-parameter --type String --name /milmed-patient-generator/prod/api-keys \
 *      --value '[{"owner":"team-a","sha256":"<hex sha256 of the key>"}]'`
 *
 * Overrides for any stage, on the command line:
 * - `-c apiKeys='[{"owner":"team-a","sha256":"..."}]'` inline hashes;
 * - `-c apiKeysParameter=/some/parameter` another SSM parameter name.
 */
import * as z from 'zod';
import { ApiKeyEntrySchema } from '../../lib/core/config.js';

export interface ApiKeyHash {
  readonly owner: string;
  /** Lower-case hex SHA-256 of the key. */
  readonly sha256: string;
}

export type ApiKeysSource =
  | { readonly kind: 'inline'; readonly keys: readonly ApiKeyHash[] }
  | { readonly kind: 'ssm'; readonly parameterName: string };

/**
 * The development key for the dev stage: send `X-API-Key: milmed-dev-key-not-a-secret`.
 * Its hash is `sha256Hex(DEV_API_KEY)` from lib/core; the test suite checks the two agree.
 */
export const DEV_API_KEY = 'milmed-dev-key-not-a-secret';
export const DEV_API_KEY_HASH: ApiKeyHash = {
  owner: 'dev',
  sha256: 'c5ebb4e4a69e0cdc3c10dc422441a74a4decc032754cdc0e12185f21795fbed3',
};

export function apiKeysParameterName(appSlug: string, stage: string): string {
  return `/${appSlug}/${stage}/api-keys`;
}

const InlineKeysSchema = z.array(ApiKeyEntrySchema).min(1, 'must list at least one key');
const ParameterNameSchema = z
  .string()
  .regex(/^\/[A-Za-z0-9_.\-/]+$/, 'must be an SSM parameter name starting with "/"');

/**
 * Applies the command-line overrides (`apiKeys`, `apiKeysParameter` context) to a stage's default source.
 * Bad values stop the synth with a message naming the context key.
 */
export function resolveApiKeysSource(
  defaults: ApiKeysSource,
  context: { readonly apiKeys?: unknown; readonly apiKeysParameter?: unknown },
): ApiKeysSource {
  if (context.apiKeys !== undefined && context.apiKeysParameter !== undefined) {
    throw new Error('Give either -c apiKeys=<json> or -c apiKeysParameter=<name>, not both');
  }
  if (context.apiKeys !== undefined) {
    let raw: unknown = context.apiKeys;
    if (typeof raw === 'string') {
      try {
        raw = JSON.parse(raw);
      } catch {
        throw new Error(
          '-c apiKeys must be a JSON array of {"owner","sha256"} (the value is not valid JSON)',
        );
      }
    }
    const parsed = InlineKeysSchema.safeParse(raw);
    if (!parsed.success) {
      const why = parsed.error.issues.map((i) => `${i.path.join('.') || '(value)'}: ${i.message}`).join('; ');
      throw new Error(`-c apiKeys is not a valid list of {"owner","sha256"}: ${why}`);
    }
    return { kind: 'inline', keys: parsed.data.map(({ owner, sha256 }) => ({ owner, sha256 })) };
  }
  if (context.apiKeysParameter !== undefined) {
    const parsed = ParameterNameSchema.safeParse(context.apiKeysParameter);
    if (!parsed.success) throw new Error(`-c apiKeysParameter ${parsed.error.issues[0]?.message}`);
    return { kind: 'ssm', parameterName: parsed.data };
  }
  return defaults;
}
