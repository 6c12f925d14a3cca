/**
 * CDK assertions on the stacks of every stage (issue #3 §5/§8). Each stage's app is built once for the
 * whole file, with the CloudFormation validator off and bundling skipped, so the file runs in seconds.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { AUTHORIZER, QUEUE_HANDLERS, ROUTES, SCHEDULED_HANDLERS } from '../../functions/routes.js';
import { DEPLOY_STAGES, STAGE_CONFIGS, stageConfigFromContext } from '../../infra/config/index.js';
import { tableDefinitions } from '../../infra/local/emulators.js';
import { JOB_CAP_ROUTES, JOB_CREATING_ROUTE } from '../../infra/stacks/index.js';
import { buildStage, createStageApp, readCdkJsonContext, type StageApp } from '../../infra/stage-app.js';
import { ErrorCode } from '../../lib/core/index.js';
import { KeyLimitsSchema, STANDARD_KEY_LIMITS } from '../../lib/domain/index.js';
import { webDistFixture } from '../support/web-dist-fixture.js';

// Read when the app synthesises (not at import): skips aws-cdk-lib's ~8 s CloudFormation validator.
process.env.CDK_VALIDATION = 'false';

/** Template JSON is untyped; assertions below check its shape. */
type Cfn = ReturnType<typeof JSON.parse>;
type Resources = Record<string, { Type: string; Properties?: Record<string, Cfn>; [key: string]: Cfn }>;

interface Built {
  readonly stageApp: StageApp;
  readonly account: Template;
  readonly stateful: Template;
  readonly api: Template;
}

function build(stage: string, context: Record<string, unknown> = {}): Built {
  const stageApp = createStageApp({
    context: { stage, 'aws:cdk:bundling-stacks': [], ...context },
    webDistDir: webDistFixture(),
  });
  return {
    stageApp,
    account: Template.fromStack(stageApp.account),
    stateful: Template.fromStack(stageApp.stateful),
    api: Template.fromStack(stageApp.api),
  };
}

const HTTP_ENV_KEYS = [
  'API_KEYS_TABLE',
  'CONFIGURATIONS_TABLE',
  'CORS_ORIGINS',
  'GENERATION_QUEUE_URL',
  'JOBS_TABLE',
  'LOG_LEVEL',
  'NODE_OPTIONS',
  'POWERTOOLS_SERVICE_NAME',
  'POWERTOOLS_TRACE_ENABLED',
  'RESULTS_BUCKET',
  'STAGE',
  'USAGE_TABLE',
];
const BASE_ENV_KEYS = [
  'LOG_LEVEL',
  'NODE_OPTIONS',
  'POWERTOOLS_SERVICE_NAME',
  'POWERTOOLS_TRACE_ENABLED',
  'STAGE',
];
const KEY_ENV_KEYS = ['API_KEYS_TABLE', 'USAGE_TABLE'];
const WORKER_ENV_KEYS = [
  ...BASE_ENV_KEYS,
  'USAGE_TABLE',
  'JOBS_TABLE',
  'RESULTS_BUCKET',
  'GENERATION_QUEUE_URL',
  'SEALING_KEY_ID',
].sort();
const AUTHORIZER_ENV_KEYS = [...BASE_ENV_KEYS, ...KEY_ENV_KEYS].sort();
/**
 * Read actions no function calls on the jobs and configurations tables (their repositories never scan,
 * batch-get or check conditions alone). Only listing every owner's keys scans (the keys table), and
 * only a key's usage days batch-get (the usage table).
 */
const UNUSED_TABLE_ACTIONS = [
  'dynamodb:Scan',
  'dynamodb:BatchGetItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
];
/** The usage counters every authenticated function updates (rate limits), and nothing else. */
const USAGE_COUNT_ACTIONS = ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem'];
const NON_PUBLIC = ROUTES.filter((r) => r.auth !== 'public');
const PUBLIC = ROUTES.filter((r) => r.auth === 'public');
const WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  's3:PutObject',
  's3:DeleteObject',
];

let dev: Built;
let prod: Built;
let stagingBuilt: Built | undefined;
/** Staging is built by the first test that needs it. */
const staging = (): Built => {
  stagingBuilt ??= build('staging');
  return stagingBuilt;
};

// Two full stage apps: seconds on an idle machine, more on a busy CI runner.
beforeAll(() => {
  dev = build('dev');
  prod = build('prod');
}, 180_000);

function resourcesOf(template: Template, type: string): Resources {
  return template.findResources(type) as Resources;
}

/** The app's functions by route name, from their physical name `milmed-<stage>-<route>` (not CDK's helpers). */
function functionsByName(
  template: Template,
  stage: string,
): Map<string, { id: string; props: Record<string, Cfn> }> {
  const byName = new Map<string, { id: string; props: Record<string, Cfn> }>();
  for (const [id, fn] of Object.entries(resourcesOf(template, 'AWS::Lambda::Function'))) {
    const physical = fn.Properties?.FunctionName;
    if (typeof physical !== 'string' || !physical.startsWith(`milmed-${stage}-`)) continue;
    const name = physical.replace(`milmed-${stage}-`, '');
    byName.set(name, { id, props: fn.Properties ?? {} });
  }
  return byName;
}

/** Statements of the inline policies of a function's role. */
function statementsOf(template: Template, functionId: string): Array<Record<string, Cfn>> {
  const fn = resourcesOf(template, 'AWS::Lambda::Function')[functionId];
  const roleId = fn.Properties?.Role['Fn::GetAtt'][0];
  const statements: Array<Record<string, Cfn>> = [];
  for (const policy of Object.values(resourcesOf(template, 'AWS::IAM::Policy'))) {
    if (!policy.Properties?.Roles.some((r: { Ref: string }) => r.Ref === roleId)) continue;
    statements.push(...policy.Properties.PolicyDocument.Statement);
  }
  return statements;
}

/** IAM actions granted to a function's role by its inline policies. */
function actionsOf(template: Template, functionId: string): string[] {
  return statementsOf(template, functionId).flatMap((statement) => [statement.Action].flat());
}

/** True when a statement's resources name the table (its ARN ends `:table/<name>`, maybe `/index/...`). */
function onTable(statement: Record<string, Cfn>, tableName: string): boolean {
  return (
    JSON.stringify(statement.Resource).includes(`:table/${tableName}"`) ||
    JSON.stringify(statement.Resource).includes(`:table/${tableName}/`)
  );
}

/** A function's statements on one table, and the rest. */
function splitByTable(
  template: Template,
  functionId: string,
  tableName: string,
): { on: Array<Record<string, Cfn>>; rest: Array<Record<string, Cfn>> } {
  const all = statementsOf(template, functionId);
  return { on: all.filter((s) => onTable(s, tableName)), rest: all.filter((s) => !onTable(s, tableName)) };
}

const sortedActions = (statements: Array<Record<string, Cfn>>): string[] =>
  statements.flatMap((statement) => [statement.Action].flat()).sort();

/** `METHOD /full/path` of every API method, rebuilt from the resource tree, with its integration target. */
function apiMethods(
  template: Template,
): Map<string, { integration: Record<string, Cfn>; props: Record<string, Cfn> }> {
  const resources = resourcesOf(template, 'AWS::ApiGateway::Resource');
  const pathOf = (ref: unknown): string => {
    const id = (ref as { Ref?: string }).Ref;
    if (!id) return ''; // Fn::GetAtt RootResourceId
    const resource = resources[id];
    return `${pathOf(resource.Properties?.ParentId)}/${resource.Properties?.PathPart}`;
  };
  const methods = new Map<string, { integration: Record<string, Cfn>; props: Record<string, Cfn> }>();
  for (const method of Object.values(resourcesOf(template, 'AWS::ApiGateway::Method'))) {
    if (method.Properties?.HttpMethod === 'OPTIONS') continue; // CORS preflight, checked on its own
    const key = `${method.Properties?.HttpMethod} ${pathOf(method.Properties?.ResourceId)}`;
    methods.set(key, { integration: method.Properties?.Integration, props: method.Properties ?? {} });
  }
  return methods;
}

describe('stage selection', () => {
  it('rejects an unknown or missing stage with the list of valid ones', () => {
    expect(() => stageConfigFromContext({ stage: 'qa' })).toThrow(/unknown stage "qa".*dev\|staging\|prod/);
    expect(() => stageConfigFromContext({})).toThrow(/no stage/);
  });

  it('gives every stage a 60 s authorizer cache and default key limits the key model accepts', () => {
    for (const stage of DEPLOY_STAGES) {
      // Act
      const config = stageConfigFromContext({ stage });

      // Assert
      expect(config.authorizerCacheSeconds, stage).toBe(60);
      expect(KeyLimitsSchema.parse(config.defaultKeyLimits), stage).toEqual(config.defaultKeyLimits);
      expect(config, stage).not.toHaveProperty('apiKeys');
    }
    expect(STAGE_CONFIGS.prod.defaultKeyLimits).toEqual(STANDARD_KEY_LIMITS);
    expect(STAGE_CONFIGS.dev.defaultKeyLimits.max_concurrent_jobs).toBeLessThan(
      STANDARD_KEY_LIMITS.max_concurrent_jobs,
    );
  });

  it('names the stacks <App>-<stage>-stateful and <App>-<stage>-api', () => {
    expect(dev.stageApp.stateful.stackName).toBe('MilmedPatientGenerator-dev-stateful');
    expect(dev.stageApp.api.stackName).toBe('MilmedPatientGenerator-dev-api');
    expect(dev.stageApp.api.dependencies).toContain(dev.stageApp.stateful);
  });
});

describe('stateful stack', () => {
  it('deploys each table with the keys, attribute types and indexes the local emulators create', () => {
    // Prepare: the dev stage's tables as deployed, and the local definitions under the same names
    const names = dev.stageApp.stateful.names;
    const deployed = new Map(
      Object.values(resourcesOf(dev.stateful, 'AWS::DynamoDB::Table')).map((r) => [
        r.Properties?.TableName as string,
        r.Properties!,
      ]),
    );
    const byName = (list: { AttributeName?: string }[] = []) =>
      [...list].sort((a, b) => String(a.AttributeName).localeCompare(String(b.AttributeName)));
    // Act
    const local = tableDefinitions(names);
    // Assert: the same four tables, and for each the same key schema, attributes and indexes
    expect(local.map((t) => t.TableName).sort()).toEqual([...deployed.keys()].sort());
    for (const table of local) {
      const cfn = deployed.get(table.TableName!)!;
      expect(cfn.KeySchema, table.TableName).toEqual(table.KeySchema);
      expect(byName(cfn.AttributeDefinitions), table.TableName).toEqual(byName(table.AttributeDefinitions));
      const indexes = (list: Cfn[] = []) =>
        list
          .map((i) => ({ IndexName: i.IndexName, KeySchema: i.KeySchema, Projection: i.Projection }))
          .sort((a, b) => a.IndexName.localeCompare(b.IndexName));
      expect(indexes(cfn.GlobalSecondaryIndexes), table.TableName).toEqual(
        indexes(table.GlobalSecondaryIndexes),
      );
    }
  });

  it('has the jobs table of the platform contract: job_id, GSI by-owner, sparse GSI by-active-status, PITR, TTL expires_at', () => {
    dev.stateful.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'milmed-dev-jobs',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'job_id', KeyType: 'HASH' }],
      AttributeDefinitions: Match.arrayWith([{ AttributeName: 'job_id', AttributeType: 'S' }]),
      GlobalSecondaryIndexes: [
        {
          IndexName: 'by-owner',
          KeySchema: [
            { AttributeName: 'owner', KeyType: 'HASH' },
            { AttributeName: 'created_at', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
        {
          IndexName: 'by-active-status',
          KeySchema: [
            { AttributeName: 'active_status', KeyType: 'HASH' },
            { AttributeName: 'updated_at', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expires_at', Enabled: true },
    });
  });

  it('has the configurations table: config_id + numeric version, GSI by-owner on list_owner, PITR', () => {
    dev.stateful.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'milmed-dev-configurations',
      KeySchema: [
        { AttributeName: 'config_id', KeyType: 'HASH' },
        { AttributeName: 'version', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: 'config_id', AttributeType: 'S' },
        { AttributeName: 'version', AttributeType: 'N' },
        { AttributeName: 'list_owner', AttributeType: 'S' },
      ]),
      GlobalSecondaryIndexes: [
        {
          IndexName: 'by-owner',
          KeySchema: [
            { AttributeName: 'list_owner', KeyType: 'HASH' },
            { AttributeName: 'created_at', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('has the API keys table: key_id, GSI by-owner (owner + created_at, ALL), PITR, on demand', () => {
    for (const built of [dev, prod]) {
      const stage = built.stageApp.config.stage;
      built.stateful.hasResourceProperties('AWS::DynamoDB::Table', {
        TableName: `milmed-${stage}-api-keys`,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'key_id', KeyType: 'HASH' }],
        AttributeDefinitions: Match.arrayWith([
          { AttributeName: 'key_id', AttributeType: 'S' },
          { AttributeName: 'owner', AttributeType: 'S' },
          { AttributeName: 'created_at', AttributeType: 'S' },
        ]),
        GlobalSecondaryIndexes: [
          {
            IndexName: 'by-owner',
            KeySchema: [
              { AttributeName: 'owner', KeyType: 'HASH' },
              { AttributeName: 'created_at', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: Match.absent(),
      });
    }
  });

  it('has the usage table: counter_id, TTL expires_at, on demand, no index', () => {
    for (const built of [dev, prod]) {
      const stage = built.stageApp.config.stage;
      built.stateful.hasResourceProperties('AWS::DynamoDB::Table', {
        TableName: `milmed-${stage}-usage`,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'counter_id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'counter_id', AttributeType: 'S' }],
        TimeToLiveSpecification: { AttributeName: 'expires_at', Enabled: true },
        GlobalSecondaryIndexes: Match.absent(),
      });
    }
    expect(dev.stageApp.stateful.names).toMatchObject({
      apiKeysTable: 'milmed-dev-api-keys',
      usageTable: 'milmed-dev-usage',
    });
  });

  it('has a private, encrypted, TLS-only results bucket whose job files expire (30 days dev, 90 prod)', () => {
    for (const [built, days] of [
      [dev, 30],
      [prod, 90],
    ] as const) {
      built.stateful.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({ Prefix: 'jobs/', ExpirationInDays: days, Status: 'Enabled' }),
            Match.objectLike({
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
              Status: 'Enabled',
            }),
          ]),
        },
      });
      built.stateful.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('has a rotating KMS key for job secrets, whose ARN it publishes in SSM for the API stack', () => {
    for (const [built, stage] of [
      [dev, 'dev'],
      [prod, 'prod'],
    ] as const) {
      built.stateful.resourceCountIs('AWS::KMS::Key', 1);
      built.stateful.hasResourceProperties('AWS::KMS::Key', {
        EnableKeyRotation: true,
        KeySpec: Match.absent(),
      });
      const [keyId] = Object.keys(resourcesOf(built.stateful, 'AWS::KMS::Key'));
      built.stateful.hasResourceProperties('AWS::SSM::Parameter', {
        Name: `/milmed-patient-generator/${stage}/job-secrets-key-arn`,
        Type: 'String',
        Value: { 'Fn::GetAtt': [keyId, 'Arn'] },
      });
    }
  });

  it('retains tables (keys and usage too), bucket and key in prod and destroys them in dev', () => {
    prod.stateful.resourceCountIs('AWS::DynamoDB::Table', 4);
    for (const type of ['AWS::DynamoDB::Table', 'AWS::S3::Bucket', 'AWS::KMS::Key']) {
      prod.stateful.allResources(type, { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      dev.stateful.allResources(type, { DeletionPolicy: 'Delete' });
    }
    prod.stateful.allResourcesProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: true });
    expect(prod.stageApp.stateful.terminationProtection).toBe(true);
  });
});

describe('API stack', () => {
  it('answers the CORS preflight (allowing X-API-Key) on every route path', () => {
    const options = Object.values(resourcesOf(dev.api, 'AWS::ApiGateway::Method')).filter(
      (m) => m.Properties?.HttpMethod === 'OPTIONS',
    );
    const routePaths = new Set(ROUTES.map((r) => r.path));
    expect(options.length).toBeGreaterThanOrEqual(routePaths.size);
    expect(JSON.stringify(options[0].Properties?.Integration)).toContain('X-API-Key');
  });

  it('has exactly one AWS_PROXY method per route of functions/routes.ts, on that route`s function', () => {
    const methods = apiMethods(dev.api);
    expect(methods.size).toBe(ROUTES.length);
    const functions = functionsByName(dev.api, 'dev');
    expect([...methods.keys()].sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    for (const route of ROUTES) {
      const { integration } = methods.get(`${route.method} ${route.path}`)!;
      expect(integration.Type).toBe('AWS_PROXY');
      expect(integration.IntegrationHttpMethod).toBe('POST');
      expect(JSON.stringify(integration.Uri)).toContain(`"${functions.get(route.name)?.id}","Arn"`);
    }
  });

  it('deploys the API stage named after the stage, with access logs and throttling', () => {
    dev.api.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'dev',
      AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.anyValue() },
      MethodSettings: Match.arrayWith([
        Match.objectLike({ ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40, LoggingLevel: 'ERROR' }),
      ]),
    });
    prod.api.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'prod', TracingEnabled: true });
  });

  it('runs every function on nodejs22.x / arm64', () => {
    for (const built of [dev, prod]) {
      const functions = functionsByName(built.api, built.stageApp.config.stage);
      // One per route, the API-key authorizer, the generator, the DLQ consumer and the sweeper.
      expect(functions.size).toBe(ROUTES.length + 1 + QUEUE_HANDLERS.length + SCHEDULED_HANDLERS.length);
      for (const [name, fn] of functions) {
        expect(fn.props, name).toMatchObject({
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          Handler: 'index.handler',
        });
      }
    }
  });

  it('sizes each HTTP function at 512 MB and 15 s, but the results route at a full vCPU and 28 s (fix 0183)', () => {
    // Act
    const functions = functionsByName(dev.api, 'dev');
    const sizes = ROUTES.map((route) => {
      const { MemorySize, Timeout } = functions.get(route.name)!.props;
      return [route.name, MemorySize, Timeout];
    });
    // Assert
    expect(sizes).toEqual(
      ROUTES.map((route) =>
        route.name === 'get-job-results' ? [route.name, 1769, 28] : [route.name, 512, 15],
      ),
    );
    expect(ROUTES.every((route) => (route.sizing?.timeoutSeconds ?? 0) < 29)).toBe(true);
  });

  it('gives each HTTP function the environment of the contract; public routes the base and their stores', () => {
    const functions = functionsByName(dev.api, 'dev');
    expect(ROUTES.find((r) => r.name === 'api-health')?.access).toEqual({
      jobs: 'read',
      configurations: 'read',
    });
    for (const route of ROUTES) {
      const env = functions.get(route.name)?.props.Environment.Variables;
      const { access } = route;
      const publicKeys = [
        ...BASE_ENV_KEYS,
        ...(access.jobs ? ['JOBS_TABLE'] : []),
        ...(access.configurations ? ['CONFIGURATIONS_TABLE'] : []),
      ].sort();
      const sealing = access.seal ? ['SEALING_KEY_ID'] : [];
      const retention = access.enqueue ? ['JOB_RETENTION_DAYS'] : [];
      const keyLimits = route.name === 'create-api-key' ? ['DEFAULT_KEY_LIMITS'] : [];
      const jobCap = JOB_CAP_ROUTES.includes(route.name) ? ['MAX_PATIENTS_PER_JOB'] : [];
      const concurrency = route.name === JOB_CREATING_ROUTE ? ['GENERATOR_CONCURRENCY'] : [];
      expect(Object.keys(env).sort(), route.name).toEqual(
        [
          ...(route.auth !== 'public' ? HTTP_ENV_KEYS : [...publicKeys, 'CORS_ORIGINS']),
          ...sealing,
          ...retention,
          ...keyLimits,
          ...jobCap,
          ...concurrency,
        ].sort(),
      );
      expect(env.STAGE).toBe('dev');
      expect(env.POWERTOOLS_SERVICE_NAME).toBe('milmed-patient-generator');
      if (route.auth !== 'public') {
        expect(env.JOBS_TABLE).toBe('milmed-dev-jobs');
        expect(env.CONFIGURATIONS_TABLE).toBe('milmed-dev-configurations');
        expect(env.API_KEYS_TABLE).toBe('milmed-dev-api-keys');
        expect(env.USAGE_TABLE).toBe('milmed-dev-usage');
        expect(env.GENERATION_QUEUE_URL).toEqual({ Ref: expect.stringMatching(/^GenerationQueue/) });
      }
    }
  });

  it('gives the key-creating function the stage`s default key limits as JSON (smaller in dev)', () => {
    for (const built of [dev, prod]) {
      // Prepare
      const { config } = built.stageApp;
      const functions = functionsByName(built.api, config.stage);

      // Act
      const holders = [...functions].filter(([, fn]) => fn.props.Environment.Variables.DEFAULT_KEY_LIMITS);
      const limits = JSON.parse(
        functions.get('create-api-key')!.props.Environment.Variables.DEFAULT_KEY_LIMITS,
      );

      // Assert
      expect(holders.map(([name]) => name)).toEqual(['create-api-key']);
      expect(KeyLimitsSchema.parse(limits)).toEqual(config.defaultKeyLimits);
    }
  });

  it('grants least privilege: GET routes never write (but for rate-limit counters), public routes touch only what they declare', () => {
    const functions = functionsByName(dev.api, 'dev');
    for (const route of ROUTES) {
      // The usage table's counters are checked on their own (API keys, below).
      const actions = sortedActions(
        splitByTable(dev.api, functions.get(route.name)!.id, 'milmed-dev-usage').rest,
      );
      if (route.method === 'GET') {
        expect(
          actions.filter((a) => WRITE_ACTIONS.includes(a) || a.startsWith('sqs:')),
          route.name,
        ).toEqual([]);
      }
      const { access } = route;
      if (Object.keys(access).length === 0) expect(actions, route.name).toEqual([]);
      expect(actions.includes('sqs:SendMessage'), route.name).toBe(access.enqueue === true);
      expect(
        actions.some((a) => a.includes('*')),
        route.name,
      ).toBe(false);
    }
  });

  it('gives the job-creating function and the OpenAPI document the stage`s per-job cap (1,000,000), no other function', () => {
    for (const built of [dev, prod, staging()]) {
      // Prepare
      const { config } = built.stageApp;
      const functions = functionsByName(built.api, config.stage);

      // Act
      const holders = [...functions].filter(([, fn]) => fn.props.Environment.Variables.MAX_PATIENTS_PER_JOB);

      // Assert
      expect(config.maxPatientsPerJob).toBe(1_000_000);
      expect(holders.map(([name]) => name).sort()).toEqual(['create-generation-job', 'openapi']);
      for (const [, fn] of holders) {
        expect(fn.props.Environment.Variables.MAX_PATIENTS_PER_JOB).toBe(String(config.maxPatientsPerJob));
      }
      expect(KeyLimitsSchema.shape.max_patients_per_job.safeParse(config.maxPatientsPerJob).success).toBe(
        true,
      );
    }
  });

  it('tells the job-creating function, and no other, how many generators its stage runs at once', () => {
    for (const built of [dev, prod, staging()]) {
      // Prepare
      const { config } = built.stageApp;
      const functions = functionsByName(built.api, config.stage);
      // Act
      const holders = [...functions].filter(([, fn]) => fn.props.Environment.Variables.GENERATOR_CONCURRENCY);
      // Assert: estimated_duration counts the job's chunks in waves of the reserved concurrency.
      expect(holders.map(([name]) => name)).toEqual([JOB_CREATING_ROUTE]);
      expect(holders[0][1].props.Environment.Variables.GENERATOR_CONCURRENCY).toBe(
        String(config.generator.reservedConcurrency),
      );
    }
  });

  it('has the generation queue with SSE, TLS-only, 720 s visibility (6 × the generator`s 120 s) and a DLQ after 3 receives', () => {
    dev.api.resourceCountIs('AWS::SQS::Queue', 2);
    dev.api.allResourcesProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    dev.api.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 720,
      RedrivePolicy: {
        maxReceiveCount: 3,
        deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^GenerationDeadLetterQueue'), 'Arn'] },
      },
    });
    dev.api.resourceCountIs('AWS::SQS::QueuePolicy', 2);
    dev.api.allResourcesProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('feeds the generator (120 s, 1769 MB, no extra /tmp, reserved concurrency) one message at a time with partial batch failures', () => {
    for (const [built, reserved] of [
      [dev, 4],
      [staging(), 10],
      [prod, 50],
    ] as const) {
      // Prepare
      const { config } = built.stageApp;
      const generator = functionsByName(built.api, config.stage).get('generate-patients')!;

      // Assert
      expect(generator.props).toMatchObject({
        Timeout: 120,
        MemorySize: 1769,
        ReservedConcurrentExecutions: reserved,
      });
      expect(config.generator.reservedConcurrency).toBe(reserved);
      expect(generator.props.EphemeralStorage).toBeUndefined();
      expect(Object.keys(generator.props.Environment.Variables).sort()).toEqual(WORKER_ENV_KEYS);
      expect(generator.props.Environment.Variables.GENERATION_QUEUE_URL).toEqual({
        Ref: expect.stringMatching(/^GenerationQueue/),
      });
      // The event source never starts more invocations than the function may run.
      built.api.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: generator.id },
        EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^GenerationQueue'), 'Arn'] },
        BatchSize: 1,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: reserved },
      });
      // It consumes its messages and sends a job's chunk and seal tasks to the same queue, nothing else.
      const sqs = statementsOf(built.api, generator.id).filter((st) =>
        sortedActions([st]).some((a) => a.startsWith('sqs:')),
      );
      expect(sortedActions(sqs)).toEqual(
        expect.arrayContaining(['sqs:DeleteMessage', 'sqs:ReceiveMessage', 'sqs:SendMessage']),
      );
      for (const st of sqs) {
        expect(JSON.stringify(st.Resource)).toMatch(/"GenerationQueue[0-9A-F]+"/);
        expect(JSON.stringify(st.Resource)).not.toContain('DeadLetter');
      }
      expect(actionsOf(built.api, generator.id)).toEqual(
        expect.arrayContaining(['dynamodb:UpdateItem', 's3:PutObject']),
      );
    }
  });

  it('gives every stage a generation queue visibility of at least 6 × the generator`s timeout (AWS`s rule) and a DLQ of 6 × its consumer`s', () => {
    for (const built of [dev, staging(), prod]) {
      // Prepare
      const functions = functionsByName(built.api, built.stageApp.config.stage);
      const generator = functions.get('generate-patients')!;
      const consumer = functions.get('dead-letters')!;
      const queues = Object.entries(resourcesOf(built.api, 'AWS::SQS::Queue'));
      const [, queue] = queues.find(([id]) => /^GenerationQueue[0-9A-F]+$/.test(id))!;
      const [, dlq] = queues.find(([id]) => id.startsWith('GenerationDeadLetterQueue'))!;

      // Assert
      expect(queue.Properties?.VisibilityTimeout).toBeGreaterThanOrEqual(6 * generator.props.Timeout);
      expect(dlq.Properties?.VisibilityTimeout).toBe(6 * consumer.props.Timeout);
      expect(dlq.Properties?.MessageRetentionPeriod).toBe(14 * 86_400);
    }
  });
});

/** The template of every stack of a stage as text, for what must appear in none of them. */
function templatesText(built: Built): string {
  return [built.account, built.stateful, built.api].map((t) => JSON.stringify(t.toJSON())).join('\n');
}

describe('API keys', () => {
  it('has one REQUEST authorizer on X-API-Key, cached 60 s, running the authorizer function', () => {
    for (const built of [dev, prod]) {
      // Prepare
      const authorizer = functionsByName(built.api, built.stageApp.config.stage).get(AUTHORIZER.name)!;

      // Assert
      built.api.resourceCountIs('AWS::ApiGateway::Authorizer', 1);
      built.api.hasResourceProperties('AWS::ApiGateway::Authorizer', {
        Type: 'REQUEST',
        IdentitySource: 'method.request.header.X-API-Key',
        AuthorizerResultTtlInSeconds: 60,
      });
      const [resource] = Object.values(resourcesOf(built.api, 'AWS::ApiGateway::Authorizer'));
      expect(JSON.stringify(resource.Properties?.AuthorizerUri)).toContain(`"${authorizer.id}","Arn"`);
      expect(authorizer.props).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'] });
      expect(Object.keys(authorizer.props.Environment.Variables).sort()).toEqual(AUTHORIZER_ENV_KEYS);
      built.api.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
        FunctionName: { 'Fn::GetAtt': [authorizer.id, 'Arn'] },
      });
    }
  });

  it('puts the authorizer in front of every non-public route; public routes and preflights stay open', () => {
    // Prepare
    const methods = apiMethods(dev.api);
    const [authorizerId] = Object.keys(resourcesOf(dev.api, 'AWS::ApiGateway::Authorizer'));

    // Assert
    expect(NON_PUBLIC.map((r) => r.name)).toEqual(
      expect.arrayContaining(['create-generation-job', 'list-api-keys', 'revoke-api-key']),
    );
    for (const route of NON_PUBLIC) {
      const { props } = methods.get(`${route.method} ${route.path}`)!;
      expect(props.AuthorizationType, route.name).toBe('CUSTOM');
      expect(props.AuthorizerId, route.name).toEqual({ Ref: authorizerId });
    }
    expect(PUBLIC.map((r) => r.name)).toEqual(expect.arrayContaining(['health', 'openapi']));
    for (const route of PUBLIC) {
      const { props } = methods.get(`${route.method} ${route.path}`)!;
      expect(props.AuthorizationType, route.name).toBe('NONE');
      expect(props.AuthorizerId, route.name).toBeUndefined();
    }
    for (const method of Object.values(resourcesOf(dev.api, 'AWS::ApiGateway::Method'))) {
      if (method.Properties?.HttpMethod !== 'OPTIONS') continue;
      expect(method.Properties?.AuthorizationType).toBe('NONE');
    }
  });

  it('answers 401 and 403 from API Gateway with the error envelope, the request id and the console`s CORS', () => {
    for (const built of [dev, prod]) {
      // Prepare
      const responses = Object.values(resourcesOf(built.api, 'AWS::ApiGateway::GatewayResponse'));
      const byType = new Map(responses.map((r) => [r.Properties?.ResponseType, r.Properties ?? {}]));
      const [distributionId] = Object.keys(resourcesOf(built.api, 'AWS::CloudFront::Distribution'));
      const origin = {
        'Fn::Join': ['', ["'https://", { 'Fn::GetAtt': [distributionId, 'DomainName'] }, "'"]],
      };

      for (const [type, status, code] of [
        ['UNAUTHORIZED', '401', ErrorCode.UNAUTHORIZED],
        ['ACCESS_DENIED', '403', ErrorCode.FORBIDDEN],
        ['AUTHORIZER_FAILURE', '500', ErrorCode.GENERATION_ERROR],
      ] as const) {
        // Act
        const response = byType.get(type)!;
        const body = JSON.parse(response.ResponseTemplates['application/json']);

        // Assert
        expect(response.StatusCode, type).toBe(status);
        expect(body, type).toEqual({
          error: { code, message: expect.any(String), details: {} },
          detail: body.error.message,
          timestamp: '$context.requestTime',
          request_id: '$context.requestId',
        });
        expect(response.ResponseParameters, type).toMatchObject({
          'gatewayresponse.header.Access-Control-Allow-Origin': origin,
          'gatewayresponse.header.Vary': "'Origin'",
        });
      }
      expect(byType.get('UNAUTHORIZED')?.ResponseParameters['gatewayresponse.header.WWW-Authenticate']).toBe(
        `'ApiKey header="X-API-Key"'`,
      );
    }
  });

  it('lets the authorizer only GetItem one key by id: no index, no usage, no other store', () => {
    for (const built of [dev, prod]) {
      // Prepare
      const stage = built.stageApp.config.stage;
      const authorizer = functionsByName(built.api, stage).get(AUTHORIZER.name)!;

      // Act: X-Ray's own statement (stages with tracing) aside.
      const isXray = (st: Record<string, Cfn>) =>
        [st.Action].flat().every((a: string) => a.startsWith('xray:'));
      const statements = statementsOf(built.api, authorizer.id).filter((st) => !isXray(st));

      // Assert
      expect(statements).toHaveLength(1);
      expect(statements[0].Action).toBe('dynamodb:GetItem');
      expect(onTable(statements[0], `milmed-${stage}-api-keys`)).toBe(true);
      expect(JSON.stringify(statements[0].Resource)).not.toContain('index');
    }
  });

  it('grants the keys table only to the admin routes: lists read (owner index, scan), writes go by id', () => {
    // Prepare
    const functions = functionsByName(dev.api, 'dev');

    for (const route of ROUTES) {
      // Act
      const { on } = splitByTable(dev.api, functions.get(route.name)!.id, 'milmed-dev-api-keys');

      // Assert
      if (route.access.keys === undefined) {
        expect(on, route.name).toEqual([]);
        continue;
      }
      expect(route.auth, route.name).toBe('admin');
      const resources = JSON.stringify(on.map((st) => st.Resource));
      if (route.access.keys === 'read') {
        expect(sortedActions(on), route.name).toEqual([
          'dynamodb:GetItem',
          'dynamodb:Query',
          'dynamodb:Scan',
        ]);
        expect(resources, route.name).toContain('/index/by-owner');
      } else {
        expect(sortedActions(on), route.name).toEqual([
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
        ]);
        expect(resources, route.name).not.toContain('index');
      }
    }
    expect(
      ROUTES.filter((r) => r.access.keys)
        .map((r) => r.name)
        .sort(),
    ).toEqual(['create-api-key', 'get-api-key', 'list-api-keys', 'revoke-api-key', 'rotate-api-key']);
  });

  it('lets every authenticated function count usage (Get, BatchGet, Update), the generator only release, public ones nothing', () => {
    for (const built of [dev, prod]) {
      // Prepare
      const stage = built.stageApp.config.stage;
      const functions = functionsByName(built.api, stage);
      const usageOf = (name: string) =>
        splitByTable(built.api, functions.get(name)!.id, `milmed-${stage}-usage`).on;

      // Assert
      for (const route of NON_PUBLIC) {
        const on = usageOf(route.name);
        expect(sortedActions(on), route.name).toEqual(USAGE_COUNT_ACTIONS);
        expect(JSON.stringify(on.map((st) => st.Resource)), route.name).not.toContain('index');
      }
      for (const route of PUBLIC) expect(usageOf(route.name), route.name).toEqual([]);
      expect(sortedActions(usageOf('generate-patients'))).toEqual(['dynamodb:UpdateItem']);
      expect(functions.get('generate-patients')?.props.Environment.Variables.USAGE_TABLE).toBe(
        `milmed-${stage}-usage`,
      );
    }
  });

  it('alarms on the authorizer`s errors and throttles like every other function', () => {
    const names = alarmsOf(prod.api).map((a) => a.AlarmName);
    expect(names).toEqual(
      expect.arrayContaining([
        `milmed-prod-errors-${AUTHORIZER.name}`,
        `milmed-prod-throttles-${AUTHORIZER.name}`,
      ]),
    );
  });

  it('puts no API_KEYS variable, key digest or api-keys SSM parameter in any template of any stage', () => {
    for (const built of [dev, staging(), prod]) {
      // Prepare
      const stage = built.stageApp.config.stage;
      const text = templatesText(built);
      const environments = [...functionsByName(built.api, stage).values()].map((fn) =>
        JSON.stringify(fn.props.Environment.Variables),
      );

      // Assert
      expect(text, stage).not.toContain('"API_KEYS"');
      expect(text, stage).not.toMatch(/sha256/i);
      expect(text, stage).not.toContain(`/milmed-patient-generator/${stage}/api-keys`);
      // The old dev key's digest, and any 64-hex-digit value in a function's environment.
      expect(text, stage).not.toContain('c5ebb4e4a69e0cdc3c10dc422441a74a4decc032754cdc0e12185f21795fbed3');
      for (const environment of environments) expect(environment, stage).not.toMatch(/[0-9a-f]{64}/i);
      expect(
        Object.keys(built.api.findParameters('*', { Default: Match.stringLikeRegexp('api-keys') })),
        stage,
      ).toEqual([]);
    }
  }, 120_000);
});

describe('job secrets key (KMS)', () => {
  it('is read from SSM at deploy time into SEALING_KEY_ID of the job-creating function and the generator only', () => {
    for (const [built, stage] of [
      [dev, 'dev'],
      [prod, 'prod'],
    ] as const) {
      const parameters = built.api.findParameters('*', {
        Type: 'AWS::SSM::Parameter::Value<String>',
        Default: `/milmed-patient-generator/${stage}/job-secrets-key-arn`,
      });
      const [name] = Object.keys(parameters);
      expect(name, stage).toBeDefined();
      const holders = [...functionsByName(built.api, stage)]
        .filter(([, fn]) => fn.props.Environment.Variables.SEALING_KEY_ID !== undefined)
        .map(([fnName, fn]) => [fnName, fn.props.Environment.Variables.SEALING_KEY_ID]);
      expect(holders.sort(), stage).toEqual([
        ['create-generation-job', { Ref: name }],
        ['generate-patients', { Ref: name }],
      ]);
    }
    expect(ROUTES.filter((r) => r.access.seal).map((r) => r.name)).toEqual(['create-generation-job']);
  });

  it('lets the job-creating function only encrypt and the generator only decrypt, with a job_id context', () => {
    const functions = functionsByName(dev.api, 'dev');
    const [parameter] = Object.keys(
      dev.api.findParameters('*', { Default: '/milmed-patient-generator/dev/job-secrets-key-arn' }),
    );
    const kmsOf = (name: string) =>
      statementsOf(dev.api, functions.get(name)!.id).filter((s) =>
        [s.Action].flat().some((a: string) => a.startsWith('kms:')),
      );
    const condition = {
      Null: { 'kms:EncryptionContext:job_id': 'false' },
      'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['job_id'] },
    };
    expect(kmsOf('create-generation-job')).toEqual([
      { Action: 'kms:Encrypt', Effect: 'Allow', Resource: { Ref: parameter }, Condition: condition },
    ]);
    expect(kmsOf('generate-patients')).toEqual([
      { Action: 'kms:Decrypt', Effect: 'Allow', Resource: { Ref: parameter }, Condition: condition },
    ]);
    for (const [name] of functions) {
      if (name === 'create-generation-job' || name === 'generate-patients') continue;
      expect(kmsOf(name), name).toEqual([]);
    }
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('leaves no unacknowledged finding in dev or prod', () => {
    for (const built of [dev, prod]) {
      for (const stack of [built.stageApp.account, built.stageApp.stateful, built.stageApp.api]) {
        const report = new AwsSolutionsChecks(stack).validateScope(stack);
        expect(
          report.violations.map((v) => v.ruleName),
          stack.stackName,
        ).toEqual([]);
      }
    }
  });

  it.each([
    ['the CLI`s default region, no credentials', { region: 'us-east-1' }],
    ['an account and region of its credentials', { account: '123456789012', region: 'eu-west-1' }],
  ])(
    'leaves no unacknowledged finding when synthesised for %s (cdk synth -c nag=true)',
    (_case, env) => {
      // Prepare: the CLI passes CDK_DEFAULT_REGION (and the account when it has credentials).
      const app = new App({ context: { ...readCdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
      const { stateful, api } = buildStage(
        app,
        { ...stageConfigFromContext({ stage: 'prod' }), env },
        { webDistDir: webDistFixture() },
      );

      // Act
      const findings = [stateful, api].flatMap((stack) =>
        new AwsSolutionsChecks(stack).validateScope(stack).violations.map((v) => v.ruleName),
      );

      // Assert
      expect(findings).toEqual([]);
    },
    120_000,
  );
});

/** The physical names (or their Fn::Join parts) of the alarms of a template. */
function alarmsOf(template: Template): Array<Record<string, Cfn>> {
  return Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm')).map((a) => a.Properties ?? {});
}

describe('deploy fixes', () => {
  it('keeps the API Gateway CloudWatch role in one retained account stack, never in a stage', () => {
    // Prepare
    const [roleId] = Object.keys(
      prod.account.findResources('AWS::IAM::Role', {
        Properties: {
          AssumeRolePolicyDocument: {
            Statement: [Match.objectLike({ Principal: { Service: 'apigateway.amazonaws.com' } })],
          },
        },
      }),
    );

    // Assert
    expect(prod.stageApp.account.stackName).toBe('MilmedPatientGenerator-account');
    expect(roleId).toBeDefined();
    prod.account.hasResource('AWS::IAM::Role', { DeletionPolicy: 'Retain' });
    prod.account.hasResource('AWS::ApiGateway::Account', {
      DeletionPolicy: 'Retain',
      Properties: { CloudWatchRoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] } },
    });
    for (const built of [dev, prod]) {
      built.api.resourceCountIs('AWS::ApiGateway::Account', 0);
      expect(
        JSON.stringify(built.api.findResources('AWS::IAM::Role')).includes('apigateway.amazonaws.com'),
      ).toBe(false);
    }
  });

  it('gives log groups generated names, so a retained prod log group never blocks re-creating the stack', () => {
    for (const built of [dev, prod]) {
      const groups = resourcesOf(built.api, 'AWS::Logs::LogGroup');
      const stage = Object.values(resourcesOf(built.api, 'AWS::ApiGateway::Stage'))[0];
      const ours = [
        ...[...functionsByName(built.api, built.stageApp.config.stage).values()].map(
          (fn) => fn.props.LoggingConfig.LogGroup.Ref,
        ),
        JSON.stringify(stage.Properties?.AccessLogSetting.DestinationArn).match(
          /"Ref":"(ApiAccessLogs\w+)"/,
        )?.[1],
      ];
      expect(ours).toHaveLength(ROUTES.length + 2 + QUEUE_HANDLERS.length + SCHEDULED_HANDLERS.length);
      for (const id of ours) {
        expect(groups[id]?.Properties?.LogGroupName, id).toBeUndefined();
        if (built === prod) expect(groups[id].DeletionPolicy, id).toBe('Retain');
      }
    }
  });

  it('keeps every log group of a stage, CDK`s deployment helpers` too, for the stage`s retention and removes it with a dev stack', () => {
    for (const built of [dev, staging(), prod]) {
      // Prepare
      const { stage, logRetention, removalPolicy } = built.stageApp.config;
      const expectedPolicy = removalPolicy === 'retain' ? 'Retain' : 'Delete';

      // Act
      const groups = Object.entries({
        ...resourcesOf(built.stateful, 'AWS::Logs::LogGroup'),
        ...resourcesOf(built.api, 'AWS::Logs::LogGroup'),
      });

      // Assert: the web console's copier and the results bucket's CORS writer log too.
      const helpers = groups.filter(
        ([id]) => !/^(Route|Authorizer|Generator|StuckJobs|ApiAccessLogs)/.test(id),
      );
      expect(helpers.length, stage).toBeGreaterThanOrEqual(2);
      for (const [id, group] of groups) {
        expect(group.Properties?.RetentionInDays, `${stage} ${id}`).toBe(logRetention);
        expect(group.DeletionPolicy, `${stage} ${id}`).toBe(expectedPolicy);
        expect(group.UpdateReplacePolicy, `${stage} ${id}`).toBe(expectedPolicy);
      }
    }
  }, 120_000);

  it('logs every function of a stage, CDK`s bucket-emptying helper too, to a log group of the stack, never to one Lambda makes and keeps forever', () => {
    for (const built of [dev, staging(), prod]) {
      for (const [name, template] of [
        ['stateful', built.stateful],
        ['api', built.api],
      ] as const) {
        // Prepare
        const where = `${built.stageApp.config.stage} ${name}`;
        const groups = resourcesOf(template, 'AWS::Logs::LogGroup');

        // Act
        const functions = Object.entries(resourcesOf(template, 'AWS::Lambda::Function'));

        // Assert: Lambda creates a missing /aws/lambda/<name> group itself, never expiring, kept after the stack.
        for (const [id, fn] of functions) {
          const ref = (fn.Properties?.LoggingConfig as { LogGroup?: { Ref?: string } } | undefined)?.LogGroup
            ?.Ref;
          expect(ref, `${where} ${id} has no log group of the stack`).toBeDefined();
          expect(Object.keys(groups), `${where} ${id}`).toContain(ref);
        }
      }
    }
  }, 120_000);

  it('gives job records (TTL) and their files (lifecycle) one retention per stage: 30 days dev, 90 prod', () => {
    for (const [built, days] of [
      [dev, 30],
      [prod, 90],
    ] as const) {
      const create = functionsByName(built.api, built.stageApp.config.stage).get('create-generation-job')!;
      expect(create.props.Environment.Variables.JOB_RETENTION_DAYS).toBe(String(days));
      built.stateful.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: {
          Rules: Match.arrayWith([Match.objectLike({ Prefix: 'jobs/', ExpirationInDays: days })]),
        },
      });
    }
  });

  it('grants no function an unused table action; the generator only reads and updates its job by key', () => {
    // Prepare
    const functions = functionsByName(prod.api, 'prod');
    const generator = functions.get('generate-patients')!;

    // Act
    const tableStatements = statementsOf(prod.api, generator.id).filter((st) =>
      onTable(st, 'milmed-prod-jobs'),
    );

    // Assert
    expect(tableStatements).toHaveLength(1);
    expect([tableStatements[0].Action].flat().sort()).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
    expect(JSON.stringify(tableStatements[0].Resource)).not.toContain('index');
    for (const [name, fn] of functions) {
      const { rest } = splitByTable(prod.api, fn.id, 'milmed-prod-usage');
      const dataTables = rest.filter((st) => !onTable(st, 'milmed-prod-api-keys'));
      expect(
        sortedActions(dataTables).filter((a) => UNUSED_TABLE_ACTIONS.includes(a)),
        name,
      ).toEqual([]);
    }
  });

  it('writes API access logs with latency, integration latency and API Gateway`s error message', () => {
    const stage = Object.values(resourcesOf(prod.api, 'AWS::ApiGateway::Stage'))[0];
    const format = JSON.parse(stage.Properties?.AccessLogSetting.Format);
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
      responseLatency: '$context.responseLatency',
      integrationLatency: '$context.integrationLatency',
      errorMessage: '$context.error.message',
    });
  });
});

describe('monitoring', () => {
  it('notifies one encrypted SNS topic per stage, with the stage config`s email subscription', () => {
    prod.api.resourceCountIs('AWS::SNS::Topic', 1);
    prod.api.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    prod.api.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'milmed-ops@example.org',
    });
    dev.api.resourceCountIs('AWS::SNS::Subscription', 0);
    const overridden = stageConfigFromContext({ stage: 'dev', alarmEmail: 'ops@nato.example' });
    expect(overridden.alarmEmail).toBe('ops@nato.example');
    expect(() => stageConfigFromContext({ stage: 'dev', alarmEmail: 'not an address' })).toThrow(
      /alarmEmail/,
    );
  });

  it('lets the stage`s alarms, and only them, publish to its TLS-only topic (the topic policy replaces SNS`s default)', () => {
    for (const built of [dev, prod]) {
      // Prepare
      const stage = built.stageApp.config.stage;
      const [topicId] = Object.keys(resourcesOf(built.api, 'AWS::SNS::Topic'));
      const policies = Object.values(resourcesOf(built.api, 'AWS::SNS::TopicPolicy')).filter((p) =>
        p.Properties?.Topics.some((t: { Ref?: string }) => t.Ref === topicId),
      );

      // Act
      const statements: Array<Record<string, Cfn>> = policies.flatMap(
        (p) => p.Properties?.PolicyDocument.Statement,
      );
      const allows = statements.filter((s) => s.Effect === 'Allow');

      // Assert: a policy on the topic is the whole of it, so CloudWatch needs an Allow of its own.
      expect(policies, stage).toHaveLength(1);
      expect(
        statements.find((s) => s.Sid === 'AllowPublishThroughSSLOnly'),
        stage,
      ).toMatchObject({
        Effect: 'Deny',
      });
      expect(allows, stage).toHaveLength(1);
      const [allow] = allows;
      expect(allow).toMatchObject({
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: { Ref: topicId },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      });
      const sourceArn = JSON.stringify(allow.Condition.ArnLike['aws:SourceArn']);
      expect(sourceArn).toContain(':cloudwatch:');
      expect(sourceArn).toContain(`:alarm:milmed-${stage}-*`);
      for (const alarm of alarmsOf(built.api)) {
        expect(String(alarm.AlarmName), stage).toMatch(new RegExp(`^milmed-${stage}-`));
      }
    }
  });

  it('alarms on every function`s errors and throttles, API 5xx rate and p99, queue age, dead letters received and failed jobs', () => {
    for (const built of [dev, prod]) {
      // Prepare
      const stage = built.stageApp.config.stage;
      const [topicId] = Object.keys(resourcesOf(built.api, 'AWS::SNS::Topic'));
      const alarms = alarmsOf(built.api);
      const byName = new Map(alarms.map((a) => [String(a.AlarmName).replace(`milmed-${stage}-`, ''), a]));

      // Assert
      for (const name of functionsByName(built.api, stage).keys()) {
        expect(byName.get(`errors-${name}`), name).toMatchObject({
          MetricName: 'Errors',
          Namespace: 'AWS/Lambda',
        });
        expect(byName.get(`throttles-${name}`), name).toMatchObject({ MetricName: 'Throttles' });
      }
      expect(byName.get('api-5xx-rate')).toMatchObject({
        MetricName: '5XXError',
        Statistic: 'Average',
        Threshold: 0.05,
      });
      expect(byName.get('api-latency-p99')).toMatchObject({
        MetricName: 'Latency',
        ExtendedStatistic: 'p99',
      });
      expect(byName.get('queue-age')).toMatchObject({ MetricName: 'ApproximateAgeOfOldestMessage' });
      // A consumer drains the DLQ within seconds, between two samples of its depth: the alarm counts
      // the dead letters handed to it instead, on arrival and on every retry of a failing consumer.
      const [dlqId] = Object.keys(
        built.api.findResources('AWS::SQS::Queue', { Properties: { VisibilityTimeout: 30 } }),
      );
      expect(byName.has('dlq-depth')).toBe(false);
      expect(byName.get('dead-letters-received')).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'NumberOfMessagesReceived',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
      expect(byName.get('jobs-failed')).toMatchObject({
        Namespace: 'MilmedPatientGenerator',
        MetricName: 'JobsFailed',
        Dimensions: expect.arrayContaining([
          { Name: 'service', Value: 'milmed-patient-generator' },
          { Name: 'stage', Value: stage },
        ]),
      });
      for (const alarm of alarms) expect(alarm.AlarmActions, alarm.AlarmName).toEqual([{ Ref: topicId }]);
    }
    expect(alarmsOf(prod.api).find((a) => a.AlarmName === 'milmed-prod-api-latency-p99')?.Threshold).toBe(
      3000,
    );
  });

  it('has one dashboard per stage with the API, function, queue and job figures', () => {
    for (const built of [dev, prod]) {
      const stage = built.stageApp.config.stage;
      built.api.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
      const body = JSON.stringify(
        Object.values(resourcesOf(built.api, 'AWS::CloudWatch::Dashboard'))[0].Properties,
      );
      expect(
        built.api.findResources('AWS::CloudWatch::Dashboard', {
          Properties: { DashboardName: `milmed-${stage}-patient-generator` },
        }),
      ).not.toEqual({});
      for (const figure of [
        '5XXError',
        'Latency',
        'Errors',
        'Throttles',
        'ApproximateAgeOfOldestMessage',
        'JobsFailed',
        'JobsCompleted',
        'PatientsGenerated',
        'QueueWait',
        'OutputBytes',
        'AuthFailures',
      ]) {
        expect(body, figure).toContain(figure);
      }
    }
  });

  it('graphs the errors and the throttles of every function of the stage by name, on the dashboard', () => {
    for (const built of [dev, prod]) {
      // Prepare
      const stage = built.stageApp.config.stage;
      const dashboard = Object.values(resourcesOf(built.api, 'AWS::CloudWatch::Dashboard'))[0];
      // The body is a Fn::Join of text and tokens (inside its strings): `<Ref:id>` reads it as JSON.
      const parts: Cfn[] = dashboard.Properties?.DashboardBody['Fn::Join'][1];
      const body = JSON.parse(
        parts.map((p) => (typeof p === 'string' ? p : `<Ref:${p.Ref ?? 'other'}>`)).join(''),
      );
      const graph = (title: string) =>
        body.widgets.find((w: { properties?: { title?: string } }) => w.properties?.title === title);

      // Act
      const graphed = (title: string, metricName: string) =>
        new Map<string, string>(
          graph(title)
            .properties.metrics.filter((m: Cfn[]) => m[0] === 'AWS/Lambda' && m[1] === metricName)
            .map((m: Cfn[]) => [String(m[3]).replace(/^<Ref:(.*)>$/, '$1'), m[4].label]),
        );

      // Assert: one line per function, named by its short name (a search for a name prefix finds none).
      const functions = functionsByName(built.api, stage);
      expect(functions.size).toBe(ROUTES.length + 1 + QUEUE_HANDLERS.length + SCHEDULED_HANDLERS.length);
      for (const [title, metricName] of [
        ['Function errors', 'Errors'],
        ['Function throttles', 'Throttles'],
      ]) {
        const lines = graphed(title, metricName);
        expect(lines.size, `${stage} ${title}`).toBe(functions.size);
        for (const [name, fn] of functions) expect(lines.get(fn.id), `${stage} ${title} ${name}`).toBe(name);
      }
      expect(JSON.stringify(body)).not.toContain("SEARCH('{AWS/Lambda");
    }
  });
});

describe('every stage', () => {
  it('has the dashboard, the alarm topic and its alarms, the console and the metrics wiring in dev, staging and prod', () => {
    // Assert
    for (const built of [dev, staging(), prod]) {
      const stage = built.stageApp.config.stage;
      built.api.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
      built.api.resourceCountIs('AWS::SNS::Topic', 1);
      built.api.resourceCountIs('AWS::CloudFront::Distribution', 1);
      // Errors and throttles of every function (routes, authorizer, queue and scheduled ones); five stage alarms.
      const functionCount = ROUTES.length + 1 + QUEUE_HANDLERS.length + SCHEDULED_HANDLERS.length;
      expect(alarmsOf(built.api).length, stage).toBe(2 * functionCount + 5);
      for (const [name, fn] of functionsByName(built.api, stage)) {
        expect(fn.props.Environment.Variables.POWERTOOLS_TRACE_ENABLED, name).toBe(
          String(built.stageApp.config.tracing),
        );
      }
    }
  }, 120_000);
});

describe('web console', () => {
  it('serves a private bucket through CloudFront with origin access control and index.html as root', () => {
    for (const built of [dev, prod]) {
      built.api.hasResourceProperties('AWS::S3::Bucket', {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      });
      built.api.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
      built.api.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          DefaultRootObject: 'index.html',
          DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
          Origins: [Match.objectLike({ OriginAccessControlId: Match.anyValue() })],
        }),
      });
    }
  });

  it('sends a CSP that allows only its own origin, the stage`s API and the results bucket, without inline code', () => {
    // Prepare
    const [restApiId] = Object.keys(resourcesOf(prod.api, 'AWS::ApiGateway::RestApi'));
    const policy = Object.values(resourcesOf(prod.api, 'AWS::CloudFront::ResponseHeadersPolicy'))[0];

    // Act
    const csp = policy.Properties?.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy;
    const text = JSON.stringify(csp);

    // Assert
    expect(csp.Override).toBe(true);
    expect(text).toContain("script-src 'self'");
    expect(text).toContain("style-src 'self'");
    expect(text).not.toContain('unsafe-inline');
    expect(text).toContain(`connect-src 'self' https://",{"Ref":"${restApiId}"},".execute-api.`);
    expect(text).toContain(' https://milmed-prod-results-');
    expect(text).toContain("frame-ancestors 'none'");
  });

  it('deploys web/dist with a config.json naming the stage`s API URL (no trailing slash) and invalidates the cache', () => {
    const deployment = Object.values(resourcesOf(prod.api, 'Custom::CDKBucketDeployment'))[0];
    const [restApiId] = Object.keys(resourcesOf(prod.api, 'AWS::ApiGateway::RestApi'));
    const [stageId] = Object.keys(resourcesOf(prod.api, 'AWS::ApiGateway::Stage'));
    expect(deployment.Properties?.SourceObjectKeys).toHaveLength(2);
    expect(deployment.Properties?.DistributionPaths).toEqual(['/*']);
    expect(Object.values(deployment.Properties?.SourceMarkers[1])).toEqual(
      expect.arrayContaining([{ Ref: restApiId }, { Ref: stageId }]),
    );
  });

  it('limits the API`s CORS (functions, preflight, gateway errors) and the results bucket`s CORS to the console origin', () => {
    for (const built of [dev, prod]) {
      // Prepare
      const [distributionId] = Object.keys(resourcesOf(built.api, 'AWS::CloudFront::Distribution'));
      const origin = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]] };
      const quoted = {
        'Fn::Join': ['', ["'https://", { 'Fn::GetAtt': [distributionId, 'DomainName'] }, "'"]],
      };

      // Assert
      for (const [name, fn] of functionsByName(built.api, built.stageApp.config.stage)) {
        // None of these answers a browser: queue and scheduled functions, and the authorizer, whose
        // refusals are gateway responses.
        const background = [...QUEUE_HANDLERS, ...SCHEDULED_HANDLERS].map((h) => h.name as string);
        if (background.includes(name) || name === AUTHORIZER.name) continue;
        expect(fn.props.Environment.Variables.CORS_ORIGINS, name).toEqual(origin);
      }
      const preflights = Object.values(resourcesOf(built.api, 'AWS::ApiGateway::Method')).filter(
        (m) => m.Properties?.HttpMethod === 'OPTIONS',
      );
      for (const method of preflights) {
        const headers = method.Properties?.Integration.IntegrationResponses[0].ResponseParameters;
        expect(headers['method.response.header.Access-Control-Allow-Origin']).toEqual(quoted);
      }
      built.api.allResourcesProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseParameters: Match.objectLike({
          'gatewayresponse.header.Access-Control-Allow-Origin': quoted,
        }),
      });
      const cors = JSON.stringify(Object.values(resourcesOf(built.api, 'Custom::AWS'))[0].Properties?.Create);
      expect(cors).toContain('putBucketCors');
      expect(cors).toContain('\\"AllowedMethods\\":[\\"GET\\",\\"HEAD\\"]');
      expect(cors).toContain(`{"Fn::GetAtt":["${distributionId}","DomainName"]}`);
    }
  });

  it('stops the synth with a clear message when web/dist is missing and cannot be built', async () => {
    const { ensureWebDist } = await import('../../infra/constructs/index.js');
    expect(() => ensureWebDist(mkdtempSync(join(tmpdir(), 'milmed-no-web-')))).toThrow(/npm run build:web/);
  });
});

describe('no stuck jobs (DLQ consumer and stale-job sweeper)', () => {
  const STUCK_JOB_ENV_KEYS = [...BASE_ENV_KEYS, 'JOBS_TABLE', 'USAGE_TABLE'].sort();

  it('feeds every dead generation message to dead-letters: batches of 10 with partial failures, a 5 s timeout six times within the DLQ`s visibility', () => {
    for (const built of [dev, prod]) {
      // Prepare
      const stage = built.stageApp.config.stage;
      const consumer = functionsByName(built.api, stage).get('dead-letters')!;
      const [dlqId, dlq] = Object.entries(resourcesOf(built.api, 'AWS::SQS::Queue')).find(([id]) =>
        id.startsWith('GenerationDeadLetterQueue'),
      )!;

      // Assert
      expect(consumer.props).toMatchObject({ Timeout: 5, MemorySize: 256 });
      expect(Object.keys(consumer.props.Environment.Variables).sort()).toEqual(STUCK_JOB_ENV_KEYS);
      built.api.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: consumer.id },
        EventSourceArn: { 'Fn::GetAtt': [dlqId, 'Arn'] },
        BatchSize: 10,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      // The DLQ's visibility: at least 6 × the consumer's timeout (AWS's rule).
      expect(dlq.Properties?.VisibilityTimeout).toBeGreaterThanOrEqual(6 * consumer.props.Timeout);
      const mappings = Object.values(resourcesOf(built.api, 'AWS::Lambda::EventSourceMapping'));
      expect(
        mappings.filter((m) => JSON.stringify(m.Properties?.EventSourceArn).includes(dlqId)),
      ).toHaveLength(1);
    }
  });

  it('runs sweep-stale-jobs every 5 minutes with its bounds: 3 receives × 720 s for running jobs, an hour for waiting ones', () => {
    for (const built of [dev, prod]) {
      // Prepare
      const stage = built.stageApp.config.stage;
      const sweeper = functionsByName(built.api, stage).get('sweep-stale-jobs')!;
      const { visibilityTimeout, maxReceiveCount } = built.stageApp.config.generationQueue;

      // Assert
      expect(sweeper.props).toMatchObject({ Timeout: 120, MemorySize: 256 });
      expect(Object.keys(sweeper.props.Environment.Variables).sort()).toEqual(
        [...STUCK_JOB_ENV_KEYS, 'STALE_RUNNING_AFTER_SECONDS', 'STALE_WAITING_AFTER_SECONDS'].sort(),
      );
      expect(sweeper.props.Environment.Variables).toMatchObject({
        STALE_RUNNING_AFTER_SECONDS: String(visibilityTimeout.toSeconds() * maxReceiveCount),
        STALE_WAITING_AFTER_SECONDS: '3600',
      });
      expect(sweeper.props.Environment.Variables.STALE_RUNNING_AFTER_SECONDS).toBe('2160');
      built.api.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'rate(5 minutes)',
        State: 'ENABLED',
        Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [sweeper.id, 'Arn'] } })],
      });
      built.api.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [sweeper.id, 'Arn'] },
        Principal: 'events.amazonaws.com',
      });
    }
  });

  it('lets dead-letters read and update a job by key, the sweeper query the by-active-status index and update by key, both only release slots', () => {
    for (const built of [dev, prod]) {
      // Prepare
      const stage = built.stageApp.config.stage;
      const functions = functionsByName(built.api, stage);
      const consumer = functions.get('dead-letters')!;
      const sweeper = functions.get('sweep-stale-jobs')!;
      const jobsTable = `milmed-${stage}-jobs`;
      const usageTable = `milmed-${stage}-usage`;

      // Act
      const consumerJobs = splitByTable(built.api, consumer.id, jobsTable).on;
      const sweeperJobs = splitByTable(built.api, sweeper.id, jobsTable).on;
      const tablesOf = (id: string) =>
        statementsOf(built.api, id)
          .filter((st) => sortedActions([st]).some((a) => a.startsWith('dynamodb:')))
          .filter((st) => !onTable(st, jobsTable) && !onTable(st, usageTable));

      // Assert
      expect(sortedActions(consumerJobs)).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
      expect(JSON.stringify(consumerJobs.map((st) => st.Resource))).not.toContain('index');
      expect(sortedActions(sweeperJobs)).toEqual(['dynamodb:Query', 'dynamodb:UpdateItem']);
      const query = sweeperJobs.find((st) => sortedActions([st]).includes('dynamodb:Query'))!;
      expect(JSON.stringify(query.Resource)).toContain(`:table/${jobsTable}/index/by-active-status`);
      expect(JSON.stringify(query.Resource)).not.toContain('by-owner');
      const update = sweeperJobs.find((st) => sortedActions([st]).includes('dynamodb:UpdateItem'))!;
      expect(JSON.stringify(update.Resource)).not.toContain('index');
      for (const fn of [consumer, sweeper]) {
        expect(sortedActions(splitByTable(built.api, fn.id, usageTable).on)).toEqual(['dynamodb:UpdateItem']);
        expect(tablesOf(fn.id)).toEqual([]);
        const actions = actionsOf(built.api, fn.id);
        expect(actions.filter((a) => a.startsWith('s3:') || a.startsWith('kms:'))).toEqual([]);
        expect(actions).not.toContain('sqs:SendMessage');
      }
      expect(actionsOf(built.api, sweeper.id).filter((a) => a.startsWith('sqs:'))).toEqual([]);
    }
  });

  it('alarms on the errors and throttles of dead-letters and sweep-stale-jobs like every other function', () => {
    // Prepare
    const names = alarmsOf(prod.api).map((a) => String(a.AlarmName));
    // Assert
    for (const name of ['dead-letters', 'sweep-stale-jobs']) {
      expect(names).toContain(`milmed-prod-errors-${name}`);
      expect(names).toContain(`milmed-prod-throttles-${name}`);
    }
  });
});
