/**
 * The web console of a stage: the built files of web/dist in a private S3 bucket, served by CloudFront
 * through origin access control, with the console's Content-Security-Policy (infra/config/
 * console-policy.ts) and the other security headers on every response, and `/config.json` next to
 * index.html telling the console where the stage's API is. Each deployment invalidates the cache.
 *
 * Where it sits and why (API and console in one stack): memory/decisions/0522-web-console-hosting.md.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DefaultStackSynthesizer, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { consoleContentSecurityPolicy } from '../config/console-policy.js';

export interface WebConsoleProps {
  readonly stage: string;
  /** The built console (index.html and assets/). */
  readonly distDir: string;
  /** The stage's API base URL, no trailing slash: `api_base_url` of config.json. */
  readonly apiBaseUrl: string;
  /** The API's origin, for connect-src. */
  readonly apiOrigin: string;
  /** The origin of presigned result URLs (the results bucket's regional S3 endpoint), for connect-src. */
  readonly resultsOrigin: string;
  /** The stage's log retention and removal policy, for the log group of the deployment's copier. */
  readonly logRetention: RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
}

/**
 * The console's build folder, built now (`npm run build:web`) when it is missing; a clear error when
 * it cannot be built.
 */
export function ensureWebDist(projectRoot: string): string {
  const dist = join(projectRoot, 'web', 'dist');
  if (existsSync(join(dist, 'index.html'))) return dist;
  const build = join(projectRoot, 'scripts', 'build.mjs');
  if (existsSync(build)) {
    try {
      execFileSync(process.execPath, [build, 'web'], { cwd: projectRoot, stdio: 'inherit' });
    } catch (error) {
      throw new Error(
        `web/dist is missing and \`npm run build:web\` failed (${error instanceof Error ? error.message : String(error)})`,
      );
    }
  }
  if (!existsSync(join(dist, 'index.html'))) {
    throw new Error('web/dist/index.html is missing: run `npm run build:web` before synthesising the stacks');
  }
  return dist;
}

export class WebConsole extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  readonly headers: ResponseHeadersPolicy;
  /** `https://<distribution domain>`: the origin the API's CORS allows. */
  readonly origin: string;

  constructor(scope: Construct, id: string, props: WebConsoleProps) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      // Only build output: redeploying recreates it, so it never needs to outlive the stack.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });

    this.headers = new ResponseHeadersPolicy(this, 'Headers', {
      comment: `Web console security headers (${props.stage})`,
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: consoleContentSecurityPolicy({
            apiOrigin: props.apiOrigin,
            resultsOrigin: props.resultsOrigin,
          }),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Patient generator web console (${props.stage})`,
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.headers,
        compress: true,
      },
    });
    this.origin = `https://${this.distribution.distributionDomainName}`;

    new BucketDeployment(this, 'Content', {
      sources: [
        Source.asset(props.distDir),
        Source.jsonData('config.json', { api_base_url: props.apiBaseUrl, stage: props.stage }),
      ],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      // Revalidate on every load: index.html and config.json change with each deployment.
      cacheControl: [CacheControl.noCache()],
      memoryLimit: 256,
      // The copier's own log group would be kept two years, and outlive a dev stack (memory/fixes/0173).
      logGroup: new LogGroup(this, 'ContentLogs', {
        retention: props.logRetention,
        removalPolicy: props.logRemovalPolicy,
      }),
    });

    acknowledgeNagFindings(this);
  }
}

/** A value as cdk-nag prints it in a finding: itself when known, `<AWS::…>` while a pseudo parameter. */
function nagValue(value: string, pseudoParameter: string): string {
  return Token.isUnresolved(value) ? `<${pseudoParameter}>` : value;
}

/**
 * The CDK asset bucket's objects as cdk-nag names them in the copier's finding. A stack synthesised
 * with a known account or region (`cdk synth` fills CDK_DEFAULT_REGION, and the account when it has
 * credentials) has them written out, an environment-agnostic one has pseudo parameters; a fixed
 * string acknowledged only the latter, so `cdk synth -c nag=true` failed (memory/fixes/0175).
 */
function assetObjectsAsNagPrintsThem(stack: Stack): string {
  const partition = nagValue(stack.partition, 'AWS::Partition');
  const account = nagValue(stack.account, 'AWS::AccountId');
  const region = nagValue(stack.region, 'AWS::Region');
  const qualifier = DefaultStackSynthesizer.DEFAULT_QUALIFIER;
  return `arn:${partition}:s3:::cdk-${qualifier}-assets-${account}-${region}/*`;
}

function acknowledgeNagFindings(console: WebConsole): void {
  // The deployment's copy function is a stack-level singleton; its policy is CDK's own.
  const stack = Stack.of(console);
  const copier = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
  const bucketId = stack.getLogicalId(console.bucket.node.defaultChild as CfnBucket);
  const reason =
    'CDK BucketDeployment copies the build from the CDK asset bucket into the console bucket and invalidates the distribution (CreateInvalidation has no resource-level permission).';
  if (copier) {
    Validations.of(copier).acknowledge(
      ...[
        'Action::s3:GetBucket*',
        'Action::s3:GetObject*',
        'Action::s3:List*',
        'Action::s3:Abort*',
        'Action::s3:DeleteObject*',
        `Resource::${assetObjectsAsNagPrintsThem(stack)}`,
        `Resource::<${bucketId}.Arn>/*`,
        'Resource::*',
      ].map((finding) => ({ id: `AwsSolutions-IAM5[${finding}]`, reason })),
    );
  }
  Validations.of(console.bucket).acknowledge({
    id: 'AwsSolutions-S1',
    reason: 'The bucket holds only the public build of the console; CloudFront is its only reader (OAC).',
  });
  Validations.of(console.distribution).acknowledge(
    {
      id: 'AwsSolutions-CFR1',
      reason: 'Exercise planners of every NATO nation use the console: no geo restriction.',
    },
    {
      id: 'AwsSolutions-CFR2',
      reason: 'Static files only; the API behind it has its own throttling and per-key limits.',
    },
    {
      id: 'AwsSolutions-CFR3',
      reason:
        'Static files only: no data is served, so no access log is kept; API calls are logged by API Gateway.',
    },
    {
      id: 'AwsSolutions-CFR4',
      reason:
        'The default *.cloudfront.net certificate is used (no custom domain per stage), which fixes the viewer TLS policy.',
    },
  );
  Validations.of(Stack.of(console)).acknowledge(
    {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: "The deployment helpers' AWS-managed basic role only lets them write their own logs.",
    },
    {
      id: 'AwsSolutions-L1',
      reason:
        'The CDK deployment helpers choose their own runtime; the app functions run nodejs22.x on purpose.',
    },
  );
}
