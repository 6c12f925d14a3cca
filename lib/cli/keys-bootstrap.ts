/**
 * `keys bootstrap`: the first admin key of a stage, written straight into the stage's keys table
 * (lib/infrastructure/key-table-names.ts) with the operator's AWS credentials, since no admin key exists
 * yet to call the admin API with. Loaded only by bootstrap (its own bundle, scripts/build-cli.mjs), so
 * the other subcommands never load the AWS SDK.
 *
 * AWS configuration as the SDK's default chain reads it (AWS_PROFILE, SSO, environment, instance role),
 * from the CLI's environment: AWS_ENDPOINT_URL_DYNAMODB (or AWS_ENDPOINT_URL) points it at an emulator,
 * such as the local stack's DynamoDB.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  ApiKeyService,
  type IssuedApiKey,
  type KeyAuditEvent,
  STANDARD_KEY_LIMITS,
} from '../domain/index.js';
import { apiKeysTableName, DynamoApiKeyRepository } from '../infrastructure/index.js';
import { CliFailure, type CliIo, UsageError } from './io.js';

/** created_by of a bootstrapped key (lib/domain/api-key.ts ApiKeyRecord). */
export const BOOTSTRAP_CREATED_BY = 'bootstrap';

export interface BootstrapRequest {
  readonly stage: string;
  readonly owner: string;
  readonly name: string;
  /** --region; else AWS_REGION, AWS_DEFAULT_REGION or the profile's region. */
  readonly region?: string;
}

export interface BootstrapResult {
  readonly key: IssuedApiKey;
  readonly table: string;
  readonly region?: string;
}

export async function bootstrapAdminKey(request: BootstrapRequest, io: CliIo): Promise<BootstrapResult> {
  const env = io.env ?? {};
  const table = apiKeysTableName(request.stage);
  const region = request.region ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined);
  const endpoint = env.AWS_ENDPOINT_URL_DYNAMODB || env.AWS_ENDPOINT_URL || undefined;
  const credentials =
    env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? {
          accessKeyId: env.AWS_ACCESS_KEY_ID,
          secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
          sessionToken: env.AWS_SESSION_TOKEN || undefined,
        }
      : undefined; // the SDK's default chain: profile, SSO, instance or container role
  const dynamodb = new DynamoDBClient({ region, endpoint, credentials });
  const documents = DynamoDBDocumentClient.from(dynamodb, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
  });
  const service = new ApiKeyService({
    keys: new DynamoApiKeyRepository(documents, table),
    // create() reads no usage; a call here would be a bug, not an empty answer.
    usage: { usage: () => Promise.reject(new Error('keys bootstrap reads no usage')) },
    stage: request.stage,
    // The stage's DEFAULT_KEY_LIMITS live in its deployed functions; an admin key gets the standard ones.
    defaultLimits: STANDARD_KEY_LIMITS,
    // The audit line of the creation goes to stderr, where the operator (or a CI log) keeps it.
    audit: (event: KeyAuditEvent) => io.stderr.write(`audit: ${JSON.stringify(event)}\n`),
  });
  try {
    const key = await service.create(
      { owner: request.owner, name: request.name, scopes: ['admin'], limits_preset: 'standard' },
      BOOTSTRAP_CREATED_BY,
    );
    const resolvedRegion = region ?? (await dynamodb.config.region().catch(() => undefined));
    return { key, table, region: resolvedRegion };
  } catch (error) {
    throw explain(error, table, region);
  } finally {
    dynamodb.destroy();
  }
}

/** One line that says what to change, for the AWS errors an operator can fix; exit 1 for the rest. */
function explain(error: unknown, table: string, region: string | undefined): Error {
  const name = (error as { name?: string } | null)?.name ?? '';
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  const where = region ? ` in ${region}` : '';
  if (name === 'ResourceNotFoundException') {
    return new UsageError(
      `--stage: table ${table} not found${where}; deploy the stage's stateful stack first, or check --region`,
    );
  }
  if (/region is missing/i.test(message)) {
    return new UsageError('--region: no AWS region configured; give --region or set AWS_REGION');
  }
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(message)) {
    return new UsageError(
      'AWS credentials: none found; set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or log in with aws sso login',
    );
  }
  if (
    /^(AccessDenied|UnrecognizedClient|InvalidSignature|ExpiredToken|InvalidClientTokenId)/.test(name) ||
    name === 'AccessDeniedException'
  ) {
    return new UsageError(
      `AWS credentials: refused by DynamoDB (${name}); they need dynamodb:PutItem on ${table}${where}`,
    );
  }
  if (error instanceof UsageError || error instanceof CliFailure) return error;
  return new CliFailure(
    `keys bootstrap: writing to ${table}${where} failed: ${name ? `${name}: ` : ''}${message}`,
  );
}
