/**
 * The stateless stack `<App>-<stage>-api`: one function per route of functions/routes.ts behind a REST
 * API, the API-key authorizer in front of every non-public route, the generation queue with its DLQ, the SQS-triggered generator, the DLQ consumer and the stale-job sweeper, the web console (S3 +
 * CloudFront) whose origin is the only one the API's CORS allows, and the stage's alarms and
 * dashboard. It can be destroyed and redeployed at will; the data lives in the stateful stack, whose
 * resources arrive here by name.
 */
import { Aws, CfnOutput, Duration, Lazy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Construct } from 'constructs';
import {
  AUTHORIZER,
  handlerModule,
  queueHandler,
  ROUTES,
  type RouteAccess,
  type RouteDefinition,
  SCHEDULED_HANDLERS,
} from '../../functions/routes.js';
import {
  type DataStoreNames,
  functionName,
  NAME_PREFIX,
  SERVICE_NAME,
  STALE_WAITING_AFTER,
  type StageConfig,
  staleRunningAfter,
} from '../config/index.js';
import { AppFunction, PROJECT_ROOT } from '../constructs/app-function.js';
import { giveAutoDeleteObjectsALogGroup } from '../constructs/auto-delete-objects-logs.js';
import { DataStoreGrants } from '../constructs/data-access.js';
import { GenerationQueue } from '../constructs/generation-queue.js';
import { ResultsBucketCors } from '../constructs/results-bucket-cors.js';
import { RouteTableApi } from '../constructs/route-table-api.js';
import { StageMonitoring } from '../constructs/stage-monitoring.js';
import { DEAD_LETTER_TIMEOUT, StuckJobGuards } from '../constructs/stuck-job-guards.js';
import { ensureWebDist, WebConsole } from '../constructs/web-console.js';

/** HTTP functions answer within API Gateway's 29 s integration limit. */
export const HTTP_TIMEOUT = Duration.seconds(15);
export const HTTP_MEMORY_MB = 512;
/** The authorizer makes one GetItem; API Gateway waits for it in front of the route's own function. */
export const AUTHORIZER_TIMEOUT = Duration.seconds(10);
/** The one route whose function mints keys with the stage's default limits (DEFAULT_KEY_LIMITS). */
export const KEY_CREATING_ROUTE = 'create-api-key';
/** The route that creates jobs: it also reads the stage's generator concurrency (GENERATOR_CONCURRENCY). */
export const JOB_CREATING_ROUTE = 'create-generation-job';
/**
 * The routes that read the stage's per-job patient cap (MAX_PATIENTS_PER_JOB): the one that creates jobs
 * (its request schema) and the OpenAPI document (the schema's maximum it shows).
 */
export const JOB_CAP_ROUTES: readonly string[] = [JOB_CREATING_ROUTE, 'openapi'];

export interface ApiStackProps extends StackProps {
  readonly config: StageConfig;
  /** The stateful stack's tables and bucket, found by their fixed names. */
  readonly data: DataStoreNames;
  /** Where handler modules are found. @default the repository root */
  readonly projectRoot?: string;
  /** The built web console. @default web/dist of the project root, built when missing */
  readonly webDistDir?: string;
}

export class ApiStack extends Stack {
  readonly api: RouteTableApi;
  readonly generationQueue: GenerationQueue;
  readonly generator: AppFunction;
  /** The API-key authorizer (functions/routes.ts AUTHORIZER). */
  readonly authorizer: AppFunction;
  /** The function of each route, by route name. */
  readonly routeFunctions: ReadonlyMap<string, AppFunction>;
  readonly webConsole: WebConsole;
  readonly monitoring: StageMonitoring;
  /** The DLQ consumer and the stale-job sweeper. */
  readonly stuckJobGuards: StuckJobGuards;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { config, data } = props;
    const stage = config.stage;
    const grants = new DataStoreGrants(this, data, stage);

    // The generator's timeout and the queue's visibility come from the one stage config; the construct
    // refuses a visibility below 6 × the timeout (AWS's rule for SQS event sources).
    this.generationQueue = new GenerationQueue(this, 'Generation', {
      ...config.generationQueue,
      consumerTimeout: config.generator.timeout,
      deadLetterConsumerTimeout: DEAD_LETTER_TIMEOUT,
    });
    const queue = this.generationQueue.queue;

    // The console is built after the API (its CSP and config.json name the API), yet the API's CORS
    // names the console: the origin is resolved lazily, and CloudFormation sees no cycle (functions →
    // distribution → RestApi id).
    let webConsole: WebConsole | undefined;
    const consoleOrigin = Lazy.string({
      produce: () => {
        if (!webConsole) throw new Error('the web console is created in the API stack constructor');
        return webConsole.origin;
      },
    });

    const baseEnvironment = {
      STAGE: stage,
      LOG_LEVEL: config.logLevel,
      POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
      // Powertools Tracer follows the function's X-Ray setting (lib/core/tracing.ts).
      POWERTOOLS_TRACE_ENABLED: String(config.tracing),
    };
    const corsEnvironment = { CORS_ORIGINS: consoleOrigin };
    // Keys live in the stateful stack's keys table, never in a template: the authorizer looks them up.
    const keyEnvironment = { API_KEYS_TABLE: data.apiKeysTable, USAGE_TABLE: data.usageTable };
    const httpEnvironment = {
      ...baseEnvironment,
      JOBS_TABLE: data.jobsTable,
      CONFIGURATIONS_TABLE: data.configurationsTable,
      RESULTS_BUCKET: data.resultsBucket,
      GENERATION_QUEUE_URL: queue.queueUrl,
      ...keyEnvironment,
      ...corsEnvironment,
    };

    // Authenticated routes load the whole HTTP environment (functions/composition/api.ts); public ones
    // only the base (functions/composition/base.ts) plus the stores their route declares (`access` in functions/routes.ts).
    const publicEnvironment = (access: RouteAccess): Record<string, string> => ({
      ...baseEnvironment,
      ...corsEnvironment,
      ...(access.jobs && { JOBS_TABLE: data.jobsTable }),
      ...(access.configurations && { CONFIGURATIONS_TABLE: data.configurationsTable }),
      ...(access.results && { RESULTS_BUCKET: data.resultsBucket }),
      ...(access.enqueue && { GENERATION_QUEUE_URL: queue.queueUrl }),
    });

    // Only the functions that seal or unseal job encryption passwords get the key (decision 0105).
    const sealingEnvironment = { SEALING_KEY_ID: grants.jobSecretsKeyArn };
    // The function that creates jobs stamps their TTL: the stage's one job retention (stateful stack).
    const retentionEnvironment = { JOB_RETENTION_DAYS: String(config.jobRetention.toDays()) };
    // The function that creates keys gives a key without limits of its own the stage's defaults.
    const keyLimitsEnvironment = { DEFAULT_KEY_LIMITS: JSON.stringify(config.defaultKeyLimits) };
    if (!ROUTES.some((route) => route.name === KEY_CREATING_ROUTE)) {
      throw new Error(`functions/routes.ts has no ${KEY_CREATING_ROUTE} route to give DEFAULT_KEY_LIMITS`);
    }
    // The stage's per-job cap: the request schema of the job-creating route and the OpenAPI document.
    const jobCapEnvironment = { MAX_PATIENTS_PER_JOB: String(config.maxPatientsPerJob) };
    // The generators that run at once: the job-creating route's `estimated_duration` counts its waves.
    const concurrencyEnvironment = { GENERATOR_CONCURRENCY: String(config.generator.reservedConcurrency) };
    for (const name of JOB_CAP_ROUTES) {
      if (!ROUTES.some((route) => route.name === name)) {
        throw new Error(`functions/routes.ts has no ${name} route to give MAX_PATIENTS_PER_JOB`);
      }
    }

    this.authorizer = new AppFunction(this, 'Authorizer', {
      entry: AUTHORIZER.module,
      functionName: functionName(stage, AUTHORIZER.name),
      description: `Checks ${AUTHORIZER.identityHeader} against the keys table for every non-public route`,
      memorySize: HTTP_MEMORY_MB,
      timeout: AUTHORIZER_TIMEOUT,
      environment: { ...baseEnvironment, ...keyEnvironment },
      logRetention: config.logRetention,
      removalPolicy: config.removalPolicy,
      tracing: config.tracing,
      projectRoot: props.projectRoot,
    });
    // One key by id, nothing else: the authorizer never lists, writes or counts.
    grants.grantKeys(this.authorizer, 'lookup');

    const routeFunctions = new Map<string, AppFunction>();
    const functionFor = (route: RouteDefinition): AppFunction => {
      const { access } = route;
      const fn = new AppFunction(this, `Route-${route.name}`, {
        entry: handlerModule(route),
        functionName: functionName(stage, route.name),
        description: `${route.method} ${route.path}`,
        memorySize: route.sizing?.memoryMb ?? HTTP_MEMORY_MB,
        timeout: route.sizing ? Duration.seconds(route.sizing.timeoutSeconds) : HTTP_TIMEOUT,
        environment: {
          ...(route.auth !== 'public' ? httpEnvironment : publicEnvironment(access)),
          ...(access.seal && sealingEnvironment),
          ...(access.enqueue && retentionEnvironment),
          ...(route.name === KEY_CREATING_ROUTE && keyLimitsEnvironment),
          ...(JOB_CAP_ROUTES.includes(route.name) && jobCapEnvironment),
          ...(route.name === JOB_CREATING_ROUTE && concurrencyEnvironment),
        },
        logRetention: config.logRetention,
        removalPolicy: config.removalPolicy,
        tracing: config.tracing,
        projectRoot: props.projectRoot,
      });
      grants.grantTable(fn, 'jobs', access.jobs);
      grants.grantTable(fn, 'configurations', access.configurations);
      grants.grantKeys(fn, access.keys);
      // Every authenticated request counts against its key's rate limit (and jobs against its quotas).
      grants.grantUsage(fn, route.auth !== 'public' ? 'count' : undefined);
      grants.grantResults(fn, access.results);
      if (access.enqueue) queue.grants.sendMessages(fn);
      grants.grantJobSecrets(fn, access.seal ? 'seal' : undefined);
      routeFunctions.set(route.name, fn);
      return fn;
    };

    this.api = new RouteTableApi(this, 'Api', {
      restApiName: `${NAME_PREFIX}-${stage}-api`,
      description: `Military Medical Exercise Patient Generator API (${stage})`,
      stageName: stage,
      routes: ROUTES,
      handlerFor: functionFor,
      throttling: config.throttling,
      tracing: config.tracing,
      logRetention: config.logRetention,
      removalPolicy: config.removalPolicy,
      allowOrigins: [consoleOrigin],
      authorizer: {
        name: functionName(stage, AUTHORIZER.name),
        handler: this.authorizer,
        identityHeader: AUTHORIZER.identityHeader,
        resultsCacheTtl: Duration.seconds(config.authorizerCacheSeconds),
      },
    });
    this.routeFunctions = routeFunctions;

    // The generator: one message per invocation (a job's plan and first chunk, a chunk, a seal task),
    // timeout, memory and concurrency from the stage's `generator` (memory/decisions/0907).
    const generatorHandler = queueHandler('generation');
    const sizing = config.generator;
    this.generator = new AppFunction(this, 'Generator', {
      entry: generatorHandler.module,
      functionName: functionName(stage, generatorHandler.name),
      description: 'Plans jobs and runs their chunk and seal tasks from the generation queue',
      memorySize: sizing.memorySizeMb,
      timeout: sizing.timeout,
      reservedConcurrentExecutions: sizing.reservedConcurrency,
      environment: {
        ...baseEnvironment,
        JOBS_TABLE: data.jobsTable,
        RESULTS_BUCKET: data.resultsBucket,
        USAGE_TABLE: data.usageTable,
        // A job's planner and its chunks send the next tasks to the same queue (JobQueue.sendTasks).
        GENERATION_QUEUE_URL: queue.queueUrl,
        ...sealingEnvironment,
      },
      logRetention: config.logRetention,
      removalPolicy: config.removalPolicy,
      tracing: config.tracing,
      projectRoot: props.projectRoot,
    });
    grants.grantTable(this.generator, 'jobs', 'read-update');
    grants.grantResults(this.generator, 'read-write');
    grants.grantJobSecrets(this.generator, 'unseal');
    // A job that ends gives its key's running-job slot back (max_concurrent_jobs).
    grants.grantUsage(this.generator, 'release');
    queue.grants.sendMessages(this.generator);
    // The event source starts at most as many invocations as the function may run: none is throttled.
    this.generator.addEventSource(
      new SqsEventSource(queue, {
        batchSize: 1,
        reportBatchItemFailures: true,
        maxConcurrency: sizing.reservedConcurrency,
      }),
    );

    // No job stays stuck (memory/decisions/0903-no-stuck-jobs.md): the job of a dead message is failed,
    // and so is a job idle past its bound. A running job is dead once every delivery of its message
    // has come and gone (maxReceiveCount × the visibility timeout); a job waits for a generator at
    // most the domain's bound (an hour). Both bounds from infra/config/stages.ts, as locally.
    this.stuckJobGuards = new StuckJobGuards(this, 'StuckJobs', {
      functionName: (name) => functionName(stage, name),
      deadLetterQueue: this.generationQueue.deadLetterQueue,
      environment: { ...baseEnvironment, JOBS_TABLE: data.jobsTable, USAGE_TABLE: data.usageTable },
      grants,
      staleRunningAfter: staleRunningAfter(config.generationQueue),
      staleWaitingAfter: STALE_WAITING_AFTER,
      logRetention: config.logRetention,
      removalPolicy: config.removalPolicy,
      tracing: config.tracing,
      projectRoot: props.projectRoot,
    });

    const restApi = this.api.api;
    const apiOrigin = `https://${restApi.restApiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`;
    const apiBaseUrl = `${apiOrigin}/${restApi.deploymentStage.stageName}`;
    webConsole = new WebConsole(this, 'WebConsole', {
      stage,
      distDir: props.webDistDir ?? ensureWebDist(props.projectRoot ?? PROJECT_ROOT),
      apiBaseUrl,
      apiOrigin,
      // Presigned URLs name the bucket on S3's regional endpoint (virtual-hosted style).
      resultsOrigin: `https://${data.resultsBucket}.s3.${Aws.REGION}.${Aws.URL_SUFFIX}`,
      logRetention: config.logRetention,
      logRemovalPolicy: config.removalPolicy,
    });
    this.webConsole = webConsole;
    new ResultsBucketCors(this, 'ResultsBucketCors', {
      bucketName: data.resultsBucket,
      allowedOrigins: [webConsole.origin],
      logRetention: config.logRetention,
      logRemovalPolicy: config.removalPolicy,
    });
    giveAutoDeleteObjectsALogGroup(this, {
      logRetention: config.logRetention,
      logRemovalPolicy: config.removalPolicy,
    });

    const functions = new Map<string, AppFunction>(routeFunctions);
    functions.set(generatorHandler.name, this.generator);
    functions.set(AUTHORIZER.name, this.authorizer);
    functions.set(queueHandler('generation-dlq').name, this.stuckJobGuards.deadLetterConsumer);
    functions.set(SCHEDULED_HANDLERS[0].name, this.stuckJobGuards.sweeper);
    this.monitoring = new StageMonitoring(this, 'Monitoring', {
      stage,
      serviceName: SERVICE_NAME,
      functions,
      apiStage: restApi.deploymentStage,
      queue,
      deadLetterQueue: this.generationQueue.deadLetterQueue,
      thresholds: config.alarms,
      alarmEmail: config.alarmEmail,
      removalPolicy: config.removalPolicy,
    });

    new CfnOutput(this, 'ApiUrl', { value: apiBaseUrl, description: 'Base URL of the API stage' });
    new CfnOutput(this, 'WebConsoleUrl', { value: webConsole.origin, description: 'The web console' });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.topic.topicArn });
    new CfnOutput(this, 'GenerationQueueUrl', { value: queue.queueUrl });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: this.generationQueue.deadLetterQueue.queueUrl });

    acknowledgeNagFindings(this);
  }
}

/** cdk-nag (AwsSolutions) findings that are deliberate here, each with its reason. */
function acknowledgeNagFindings(stack: ApiStack): void {
  Validations.of(stack.api).acknowledge(
    {
      id: 'AwsSolutions-APIG2',
      reason: 'Requests are validated by zod schemas in each handler, which return the API error envelope.',
    },
    {
      id: 'AwsSolutions-APIG3',
      reason: 'No WAF for now: stage throttling and per-key rate limits (usage table) bound the load.',
    },
    {
      id: 'AwsSolutions-APIG4',
      reason:
        'Every non-public route has the API-key Lambda authorizer; the open methods are reference data, health, the OpenAPI document and CORS preflights.',
    },
    {
      id: 'AwsSolutions-COG4',
      reason: 'The API uses API keys checked by a Lambda REQUEST authorizer (keys table), not Cognito users.',
    },
  );
  Validations.of(stack).acknowledge({
    id: 'AwsSolutions-L1',
    reason: 'nodejs22.x is chosen on purpose : closest supported runtime to the local Node 20.',
  });
}
