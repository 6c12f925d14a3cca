/**
 * Who is calling, as the API-key authorizer verified it (functions/authorizer/api-key-authorizer.ts),
 * and the one codec between that principal and API Gateway's authorizer context. The context carries
 * strings only: { owner, key_id, scopes (space-separated), limits (JSON) }; API Gateway hands it to
 * the handler in event.requestContext.authorizer, so handlers never see the key itself.
 *
 * lib/core imports no other layer: the principal here is structural. lib/domain's Principal (the key
 * model, lib/domain/api-key.ts) is assignable to it; the functions layer narrows it back.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';

/** The figures the rate-limit step needs; a key carries more limits (lib/domain/api-key.ts KeyLimits). */
export type PrincipalLimits = Readonly<Record<string, number>> & { readonly requests_per_minute: number };

export interface Principal {
  /** The tenant: every job and configuration belongs to exactly one owner. */
  readonly owner: string;
  readonly keyId: string;
  readonly scopes: readonly string[];
  readonly limits: PrincipalLimits;
}

/** API Gateway's authorizer context: string values only. */
export type AuthorizerContext = Record<string, string>;

/** Builds the authorizer's context for a verified principal (the authorizer's Allow answer). */
export function authorizerContextOf(principal: Principal): AuthorizerContext {
  return {
    owner: principal.owner,
    key_id: principal.keyId,
    scopes: principal.scopes.join(' '),
    limits: JSON.stringify(principal.limits),
  };
}

const LimitsSchema = z
  .object({ requests_per_minute: z.number().int().min(1) })
  .catchall(z.number().int().min(0));

const AuthorizerContextSchema = z.looseObject({
  owner: z.string().min(1),
  key_id: z.string().min(1),
  scopes: z.string(),
  limits: z.string().transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'limits is not JSON' });
      return z.NEVER;
    }
  }),
});

/**
 * The principal in an authorizer context (event.requestContext.authorizer), or undefined when there is
 * none or it is not one the authorizer wrote (the handler then answers 401, never 500).
 */
export function principalFromAuthorizerContext(context: unknown): Principal | undefined {
  const parsed = AuthorizerContextSchema.safeParse(context);
  if (!parsed.success) return undefined;
  const limits = LimitsSchema.safeParse(parsed.data.limits);
  if (!limits.success) return undefined;
  const scopes = parsed.data.scopes.split(' ').filter((s) => s !== '');
  return {
    owner: parsed.data.owner,
    keyId: parsed.data.key_id,
    scopes,
    limits: limits.data as PrincipalLimits,
  };
}

/** The answer to one request against a key's per-minute window (lib/domain/api-key.ts RequestAllowance). */
export interface RateAllowance {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** Seconds until the window resets (1–60). */
  readonly resetSeconds: number;
}

/** Counts one request of a principal against its requests per minute. */
export type RequestCounter = (principal: Principal) => Promise<RateAllowance>;

/** The IETF RateLimit header fields of an allowance (on every authenticated response). */
export function rateLimitHeaders(allowance: RateAllowance): Record<string, string> {
  return {
    'RateLimit-Limit': String(allowance.limit),
    'RateLimit-Remaining': String(Math.max(0, allowance.remaining)),
    'RateLimit-Reset': String(allowance.resetSeconds),
  };
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}
