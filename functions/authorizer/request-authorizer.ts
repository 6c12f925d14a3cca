/**
 * The API-key authorizer's logic (memory/decisions/0801-api-keys-as-a-service.md): an API Gateway
 * REQUEST authorizer event → the key service's verdict → an Allow policy for the whole API with the
 * principal in its context, or `Error('Unauthorized')`, which API Gateway answers with a 401. The
 * local gateway (infra/local/gateway.ts) runs the same handler for every non-public route.
 *
 * The policy covers every route of the stage (`…/<api id>/<stage>/*`), so the cached answer for a key
 * serves all of them; scopes are checked by the handlers (lib/core/http-handler.ts), never here.
 * Refusals are audit lines (action, reason, key id when the key parsed, source IP; never the key)
 * and count as AuthFailures.
 */
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent, Context } from 'aws-lambda';
import { API_KEY_HEADER, type AppMetrics, authorizerContextOf, type Logger } from '../../lib/core/index.js';
import type { AuthOutcome } from '../../lib/domain/index.js';

/** API Gateway turns exactly this error message into its 401 Unauthorized answer. */
export const UNAUTHORIZED = 'Unauthorized';

export type AuthorizerHandler = (
  event: APIGatewayRequestAuthorizerEvent,
  context: Context,
) => Promise<APIGatewayAuthorizerResult>;

export interface AuthorizerDeps {
  readonly authenticate: (presentedKey: string) => Promise<AuthOutcome>;
  readonly logger: Logger;
  readonly metrics: Pick<AppMetrics, 'authFailure'>;
}

/** `arn:aws:execute-api:<region>:<account>:<api id>/<stage>/*` from the invoked method's ARN. */
export function wholeApiArn(methodArn: string): string {
  const [api, stage] = methodArn.split('/');
  if (!api?.startsWith('arn:') || !stage) throw new Error('methodArn is not an execute-api ARN');
  return `${api}/${stage}/*`;
}

/** The presented key: the X-API-Key header in any spelling, trimmed; undefined when absent or empty. */
export function presentedKeyOf(
  event: Pick<APIGatewayRequestAuthorizerEvent, 'headers' | 'multiValueHeaders'>,
) {
  for (const map of [event.headers, event.multiValueHeaders]) {
    for (const [name, value] of Object.entries(map ?? {})) {
      if (name.toLowerCase() !== API_KEY_HEADER) continue;
      const text = (Array.isArray(value) ? value.at(-1) : value)?.trim();
      if (text) return text;
    }
  }
  return undefined;
}

export function createAuthorizer(deps: AuthorizerDeps): AuthorizerHandler {
  const { logger, metrics } = deps;
  return async (event) => {
    const sourceIp = event.requestContext?.identity?.sourceIp ?? 'unknown';
    const refuse = (reason: string, keyId?: string): never => {
      metrics.authFailure();
      logger.warn('audit', {
        action: 'auth.refused',
        outcome: 'refused',
        reason,
        ...(keyId ? { key_id: keyId } : {}),
        source_ip: sourceIp,
        method: event.httpMethod,
        path: event.path,
        request_id: event.requestContext?.requestId,
      });
      throw new Error(UNAUTHORIZED);
    };
    const key = presentedKeyOf(event);
    if (!key) return refuse('missing');
    const outcome = await deps.authenticate(key);
    if (!outcome.ok) return refuse(outcome.reason, outcome.keyId);
    const { principal } = outcome;
    if (outcome.usedPreviousSecret) {
      // Still valid (rotation grace), but the caller should move to the new secret.
      logger.info('audit', {
        action: 'auth.previous-secret',
        outcome: 'allowed',
        key_id: principal.keyId,
        owner: principal.owner,
        source_ip: sourceIp,
      });
    }
    return {
      principalId: principal.keyId,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: wholeApiArn(event.methodArn) },
        ],
      },
      context: authorizerContextOf(principal),
    };
  };
}
