/**
 * A REST API built from the route table (functions/routes.ts), which is its only source of methods:
 * every route becomes one resource path and one AWS_PROXY method on its own function. Template
 * segments such as `{job_id}` become path-parameter resources.
 *
 * Authentication: every route whose `auth` is not 'public' goes through one Lambda REQUEST authorizer
 * (identity source the X-API-Key header, answers cached per key value); public routes and the CORS
 * preflights stay `AuthorizationType.NONE`. The authorizer allows a valid key on the whole API (one
 * cached answer serves every route) and the handlers check its scopes; what API Gateway answers itself
 * uses the API's error envelope: 401 for a missing or refused key, 403 should a policy ever deny.
 *
 * Trailing slashes: a resource path part cannot end in '/', and REST APIs route `/jobs/` to the
 * `/jobs` resource on their own (memory/decisions/0202-api-gateway-trailing-slash.md).
 */
import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  Cors,
  EndpointType,
  IdentitySource,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  RequestAuthorizer,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RouteDefinition } from '../../functions/routes.js';
import {
  CORS_ALLOWED_HEADERS,
  CORS_EXPOSED_HEADERS,
  ErrorCode,
  GENERIC_ERROR_MESSAGE,
} from '../../lib/core/index.js';

export interface RouteTableAuthorizerProps {
  /** The authorizer's name in API Gateway. */
  readonly name: string;
  /** The authorizer function (functions/routes.ts AUTHORIZER). */
  readonly handler: IFunction;
  /** The request header carrying the key: the identity source and the cache key. */
  readonly identityHeader: string;
  /** How long API Gateway reuses an answer for the same key value. */
  readonly resultsCacheTtl: Duration;
}

export interface RouteTableApiProps {
  readonly restApiName: string;
  readonly description?: string;
  /** API Gateway stage name (the deployment stage, e.g. `dev`). */
  readonly stageName: string;
  readonly routes: readonly RouteDefinition[];
  /** The function behind a route; called once per route. */
  readonly handlerFor: (route: RouteDefinition) => IFunction;
  readonly throttling: { readonly rateLimit: number; readonly burstLimit: number };
  readonly tracing: boolean;
  readonly logRetention: RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /** Origins the CORS preflight allows (the stage's web console); may be a token. */
  readonly allowOrigins: readonly string[];
  /** The API-key authorizer in front of every non-public route. */
  readonly authorizer: RouteTableAuthorizerProps;
}

/**
 * One JSON line per request: who, what, the status, the latencies (whole request and Lambda
 * integration) and API Gateway's own error message when it answered by itself (throttling, 413, 404).
 */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    extendedRequestId: '$context.extendedRequestId',
    ip: '$context.identity.sourceIp',
    requestTime: '$context.requestTime',
    httpMethod: '$context.httpMethod',
    resourcePath: '$context.resourcePath',
    path: '$context.path',
    protocol: '$context.protocol',
    status: '$context.status',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationLatency: '$context.integrationLatency',
    integrationStatus: '$context.integrationStatus',
    errorMessage: '$context.error.message',
    errorType: '$context.error.responseType',
    integrationError: '$context.integrationErrorMessage',
    xrayTraceId: '$context.xrayTraceId',
  }),
);

const SEGMENT = /^(?:[A-Za-z0-9._-]+|\{[A-Za-z0-9_]+\})$/;

/** Resource path of a route (`/api/v1/jobs/{job_id}` → `api/v1/jobs/{job_id}`), checked against API Gateway's rules. */
export function resourcePathOf(route: RouteDefinition): string {
  const segments = route.path.split('/').slice(1);
  if (!route.path.startsWith('/') || segments.some((s) => !SEGMENT.test(s))) {
    throw new Error(
      `route ${route.name}: path ${JSON.stringify(route.path)} is not an API Gateway resource template ` +
        '(segments of [A-Za-z0-9._-] or {name}, no trailing slash)',
    );
  }
  return segments.join('/');
}

/**
 * The API error envelope (lib/core/errors.ts toErrorResponse) for responses API Gateway produces itself.
 * Gateway response templates allow only simple variable substitution (no VTL), so `timestamp` is API
 * Gateway's request time (`$context.requestTime`, CLF format), not an ISO time computed per response.
 */
function envelope(code: ErrorCode, message: string): string {
  return JSON.stringify({
    error: { code, message, details: {} },
    detail: message,
    timestamp: '$context.requestTime',
    request_id: '$context.requestId',
  });
}

/** What a refused key hears: nothing that tells a missing key from an unknown, revoked or expired one. */
export const UNAUTHORIZED_MESSAGE = 'Missing API Key or Invalid API Key';
export const ACCESS_DENIED_MESSAGE = 'This API key may not call this route';

export class RouteTableApi extends Construct {
  readonly api: RestApi;
  readonly accessLogGroup: LogGroup;
  readonly authorizer: RequestAuthorizer;

  constructor(scope: Construct, id: string, props: RouteTableApiProps) {
    super(scope, id);
    this.accessLogGroup = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    this.api = new RestApi(this, 'RestApi', {
      restApiName: props.restApiName,
      description: props.description,
      endpointConfiguration: { types: [EndpointType.REGIONAL] },
      // Browsers send X-API-Key, so every path answers the CORS preflight (as the local gateway does).
      defaultCorsPreflightOptions: {
        allowOrigins: [...props.allowOrigins],
        allowMethods: Cors.ALL_METHODS,
        allowHeaders: [...CORS_ALLOWED_HEADERS],
        exposeHeaders: [...CORS_EXPOSED_HEADERS],
      },
      // The account-wide logging role is set once, outside the stages (infra/stacks/account-stack.ts):
      // a stage that owned it would take API Gateway logging down for the whole region when deleted.
      cloudWatchRole: false,
      deployOptions: {
        stageName: props.stageName,
        accessLogDestination: new LogGroupLogDestination(this.accessLogGroup),
        accessLogFormat: ACCESS_LOG_FORMAT,
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        metricsEnabled: true,
        tracingEnabled: props.tracing,
        throttlingRateLimit: props.throttling.rateLimit,
        throttlingBurstLimit: props.throttling.burstLimit,
      },
    });

    this.authorizer = new RequestAuthorizer(this, 'ApiKeyAuthorizer', {
      authorizerName: props.authorizer.name,
      handler: props.authorizer.handler,
      identitySources: [IdentitySource.header(props.authorizer.identityHeader)],
      resultsCacheTtl: props.authorizer.resultsCacheTtl,
    });

    const seen = new Set<string>();
    for (const route of props.routes) {
      const key = `${route.method} ${route.path}`;
      if (seen.has(key)) throw new Error(`route table lists ${key} twice`);
      seen.add(key);
      const resource = this.api.root.resourceForPath(resourcePathOf(route));
      resource.addMethod(
        route.method,
        new LambdaIntegration(props.handlerFor(route), { proxy: true, allowTestInvoke: false }),
        route.auth === 'public'
          ? { operationName: route.name, authorizationType: AuthorizationType.NONE }
          : { operationName: route.name, authorizer: this.authorizer },
      );
    }

    // Errors raised by API Gateway itself use the API's error envelope too, readable by the console.
    const cors = { 'Access-Control-Allow-Origin': `'${props.allowOrigins[0]}'`, Vary: "'Origin'" };
    this.api.addGatewayResponse('UnknownRoute', {
      type: ResponseType.MISSING_AUTHENTICATION_TOKEN,
      statusCode: '404',
      responseHeaders: cors,
      templates: {
        'application/json': envelope(ErrorCode.NOT_FOUND, 'No route matches this method and path'),
      },
    });
    this.api.addGatewayResponse('Throttled', {
      type: ResponseType.THROTTLED,
      statusCode: '429',
      responseHeaders: { ...cors, 'Retry-After': "'1'" },
      templates: { 'application/json': envelope(ErrorCode.RATE_LIMITED, 'Too many requests; retry later') },
    });
    this.api.addGatewayResponse('RequestTooLarge', {
      type: ResponseType.REQUEST_TOO_LARGE,
      statusCode: '413',
      responseHeaders: cors,
      templates: {
        'application/json': envelope(ErrorCode.PAYLOAD_TOO_LARGE, 'The request body is too large'),
      },
    });
    // No X-API-Key, or the authorizer refused it (unknown, wrong secret, revoked, expired).
    this.api.addGatewayResponse('Unauthorized', {
      type: ResponseType.UNAUTHORIZED,
      statusCode: '401',
      responseHeaders: {
        ...cors,
        'WWW-Authenticate': `'ApiKey header="${props.authorizer.identityHeader}"'`,
      },
      templates: { 'application/json': envelope(ErrorCode.UNAUTHORIZED, UNAUTHORIZED_MESSAGE) },
    });
    // A Deny policy from the authorizer. Today it allows the whole API and handlers refuse a missing
    // scope with the same 403 envelope (lib/core/http-handler.ts), so this is the safety net.
    this.api.addGatewayResponse('AccessDenied', {
      type: ResponseType.ACCESS_DENIED,
      statusCode: '403',
      responseHeaders: cors,
      templates: { 'application/json': envelope(ErrorCode.FORBIDDEN, ACCESS_DENIED_MESSAGE) },
    });
    // The authorizer itself failed (the keys table unreachable, say): the envelope, not a bare 500.
    this.api.addGatewayResponse('AuthorizerFailure', {
      type: ResponseType.AUTHORIZER_FAILURE,
      statusCode: '500',
      responseHeaders: cors,
      templates: { 'application/json': envelope(ErrorCode.GENERATION_ERROR, GENERIC_ERROR_MESSAGE) },
    });
  }
}
