/**
 * A REST API built from the route table (functions/routes.ts), which is its only source of methods:
 * every route becomes one resource path and one AWS_PROXY method on its own function. Template
 * segments such as `{job_id}` become path-parameter resources.
 *
 * Authentication is not done by API Gateway: 'api-key' routes check X-API-Key against SHA-256 hashes
 * in the handler (README, HTTP API), so every method is `AuthorizationType.NONE`.
 *
 * Trailing slashes: a resource path part cannot end in '/', and REST APIs route `/jobs/` to the
 * `/jobs` resource on their own (memory/decisions/0202-api-gateway-trailing-slash.md).
 */
import type { RemovalPolicy } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  Cors,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RouteDefinition } from '../../functions/routes.js';
import { CORS_ALLOWED_HEADERS, CORS_EXPOSED_HEADERS } from '../../lib/core/index.js';

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

/** The API error envelope (README, HTTP API) for responses API Gateway produces itself. */
function envelope(code: string, message: string): string {
  return JSON.stringify({ error: { code, message }, request_id: '$context.requestId' });
}

export class RouteTableApi extends Construct {
  readonly api: RestApi;
  readonly accessLogGroup: LogGroup;

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

    const seen = new Set<string>();
    for (const route of props.routes) {
      const key = `${route.method} ${route.path}`;
      if (seen.has(key)) throw new Error(`route table lists ${key} twice`);
      seen.add(key);
      const resource = this.api.root.resourceForPath(resourcePathOf(route));
      resource.addMethod(
        route.method,
        new LambdaIntegration(props.handlerFor(route), { proxy: true, allowTestInvoke: false }),
        { operationName: route.name },
      );
    }

    // Errors raised by API Gateway itself use the API's error envelope too, readable by the console.
    const cors = { 'Access-Control-Allow-Origin': `'${props.allowOrigins[0]}'`, Vary: "'Origin'" };
    this.api.addGatewayResponse('UnknownRoute', {
      type: ResponseType.MISSING_AUTHENTICATION_TOKEN,
      statusCode: '404',
      responseHeaders: cors,
      templates: { 'application/json': envelope('NOT_FOUND', 'No route matches this method and path') },
    });
    this.api.addGatewayResponse('Throttled', {
      type: ResponseType.THROTTLED,
      statusCode: '429',
      responseHeaders: { ...cors, 'Retry-After': "'1'" },
      templates: { 'application/json': envelope('RATE_LIMITED', 'Too many requests; retry later') },
    });
    this.api.addGatewayResponse('RequestTooLarge', {
      type: ResponseType.REQUEST_TOO_LARGE,
      statusCode: '413',
      responseHeaders: cors,
      templates: { 'application/json': envelope('PAYLOAD_TOO_LARGE', 'The request body is too large') },
    });
  }
}
