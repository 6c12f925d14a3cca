/**
 * The local stack's own API keys, made through the key service (lib/domain/api-key-service.ts) in the
 * local keys table, as the admin API makes them: an admin key and a generate key of owner "local" at
 * start, and any key a test asks for (`LocalStack.createKey`).
 *
 * A key given in LOCAL_API_KEY / LOCAL_ADMIN_KEY must be in the key format of the local stage; it is
 * written with exactly that id and secret (ApiKeyService.create's `givenKey`), so a developer keeps
 * one key across restarts. On a persisted data dir the same value finds
 * its key again.
 */
import type * as z from 'zod';
import { createLogger } from '../../lib/core/index.js';
import {
  API_KEY_PATTERN,
  ApiKeyService,
  type CreateApiKeyRequest,
  CreateApiKeyRequestSchema,
  type IssuedApiKey,
  type KeyLimits,
  type KeyScope,
  parseApiKey,
  STANDARD_KEY_LIMITS,
} from '../../lib/domain/index.js';
import { MAX_PATIENTS } from '../../lib/generation/index.js';
import {
  type AwsClients,
  createAwsClients,
  DynamoApiKeyRepository,
  DynamoUsageCounters,
} from '../../lib/infrastructure/index.js';

export const LOCAL_OWNER = 'local';
/** The stage in every local key: `mmpg_local_…`. */
export const LOCAL_STAGE = 'local';
/** created_by of the keys the local stack makes (lib/domain/api-key.ts ApiKeyRecord). */
export const LOCAL_CREATED_BY = 'local-stack';

/**
 * Limits of the local stack's keys: none a developer, a benchmark or a test suite meets by accident.
 * A test that wants a limit asks for it (`createKey({ limits })`).
 */
export const LOCAL_KEY_LIMITS: KeyLimits = {
  max_patients_per_job: MAX_PATIENTS,
  max_concurrent_jobs: 1_000,
  daily_patient_quota: 1_000_000_000,
  daily_job_quota: 1_000_000,
  requests_per_minute: 1_000_000,
};

/** What a test asks for: the admin API's create request; limits go over LOCAL_KEY_LIMITS unless a preset is named. */
export type LocalKeyRequest = Omit<z.input<typeof CreateApiKeyRequestSchema>, 'name'> & {
  readonly name?: string;
};

export type LocalKeyVariable = 'LOCAL_API_KEY' | 'LOCAL_ADMIN_KEY';

const KEY_FORMAT = `mmpg_${LOCAL_STAGE}_<16 characters of a-z and 2-7>_<64 hex digits>`;
export class LocalKeys {
  private readonly clients: AwsClients;
  private readonly service: ApiKeyService;

  /** Stops on a given key that is not a local key, with one line naming the variable and the format. */
  static check(values: Partial<Record<LocalKeyVariable, string | undefined>>): void {
    for (const [variable, value] of Object.entries(values)) {
      if (value === undefined) continue;
      const parsed = parseApiKey(value);
      if (!parsed || parsed.stage !== LOCAL_STAGE || !API_KEY_PATTERN.test(value)) {
        throw new Error(`${variable} must be a key of the local stack: ${KEY_FORMAT}`);
      }
    }
  }

  constructor(private readonly env: Readonly<Record<string, string>>) {
    this.clients = createAwsClients();
    const logger = createLogger({ logLevel: env.LOG_LEVEL });
    this.service = new ApiKeyService({
      keys: new DynamoApiKeyRepository(this.clients.documents, this.env.API_KEYS_TABLE),
      usage: new DynamoUsageCounters(this.clients.documents, this.env.USAGE_TABLE),
      stage: LOCAL_STAGE,
      defaultLimits: STANDARD_KEY_LIMITS,
      audit: (event) => logger.info('audit', { ...event, outcome: 'success' }),
    });
  }

  /** A new key of the request (owner "local" by default). */
  async create(request: LocalKeyRequest): Promise<IssuedApiKey> {
    const input: CreateApiKeyRequest = CreateApiKeyRequestSchema.parse({
      name: `${request.owner ?? LOCAL_OWNER} test key`,
      ...request,
      limits: request.limits_preset ? request.limits : { ...LOCAL_KEY_LIMITS, ...request.limits },
    });
    return this.service.create(input, LOCAL_CREATED_BY);
  }

  /**
   * The stack's key of one variable: a new one when none is given; the given one found again, or
   * written with its own id and secret. A given key the table holds revoked, expired or with another
   * secret stops the start with one line (never the key).
   */
  async ensure(variable: LocalKeyVariable, given: string | undefined, scopes: KeyScope[]): Promise<string> {
    const request: CreateApiKeyRequest = CreateApiKeyRequestSchema.parse({
      owner: LOCAL_OWNER,
      name: `local ${scopes.join('+')} key`,
      scopes,
      limits: LOCAL_KEY_LIMITS,
    });
    if (given === undefined) return (await this.service.create(request, LOCAL_CREATED_BY)).api_key;
    LocalKeys.check({ [variable]: given });
    const outcome = await this.service.authenticate(given);
    if (outcome.ok) {
      const missing = scopes.filter((s) => !outcome.principal.scopes.includes(s));
      if (missing.length > 0) {
        throw new Error(
          `${variable}: key ${outcome.principal.keyId} in this data dir lacks the ${missing.join(', ')} scope`,
        );
      }
      return given;
    }
    if (outcome.reason !== 'unknown-key') {
      throw new Error(
        `${variable}: key ${outcome.keyId} in this data dir is ${outcome.reason === 'wrong-secret' ? 'stored with another secret' : outcome.reason}; set another key or use another --data-dir`,
      );
    }
    const issued = await this.service.create(request, LOCAL_CREATED_BY, given);
    if (issued.api_key !== given) throw new Error(`${variable}: the key could not be written as given`);
    return given;
  }

  close(): void {
    this.clients.dynamodb.destroy();
  }
}
