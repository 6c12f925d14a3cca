/**
 * The CORS rule of the results bucket (stateful stack): GET and HEAD from the stage's web console,
 * which reads a job's patients file through a presigned URL. The console's origin (a CloudFront
 * domain) exists only once the API stack is deployed, after the stateful stack, so the API stack sets
 * the rule with one S3 call (PutBucketCors) and removes it when it is deleted
 * (memory/decisions/0522-web-console-hosting.md). The bucket itself declares no CORS, so its own
 * stack never overwrites the rule.
 */
import { Aws, type RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

export interface ResultsBucketCorsProps {
  readonly bucketName: string;
  readonly allowedOrigins: readonly string[];
  /** The stage's log retention and removal policy, for the log group of the CORS writer. */
  readonly logRetention: RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
}

/** Presigned downloads: simple GETs, so no request header needs allowing; the browser may read these. */
export const RESULTS_CORS_EXPOSED_HEADERS = ['Content-Length', 'Content-Type', 'Content-Disposition', 'ETag'];

export class ResultsBucketCors extends Construct {
  readonly resource: AwsCustomResource;

  constructor(scope: Construct, id: string, props: ResultsBucketCorsProps) {
    super(scope, id);
    const bucket = { Bucket: props.bucketName };
    const put = {
      service: 'S3',
      action: 'putBucketCors',
      parameters: {
        ...bucket,
        CORSConfiguration: {
          CORSRules: [
            {
              ID: 'web-console',
              AllowedMethods: ['GET', 'HEAD'],
              AllowedOrigins: [...props.allowedOrigins],
              ExposeHeaders: RESULTS_CORS_EXPOSED_HEADERS,
              MaxAgeSeconds: 600,
            },
          ],
        },
      },
      physicalResourceId: PhysicalResourceId.of(`${props.bucketName}-cors`),
    };
    this.resource = new AwsCustomResource(this, 'PutBucketCors', {
      onCreate: put,
      onUpdate: put,
      onDelete: { service: 'S3', action: 'deleteBucketCors', parameters: bucket },
      policy: AwsCustomResourcePolicy.fromStatements([
        new PolicyStatement({
          // IAM names both calls s3:PutBucketCORS (DeleteBucketCors included).
          actions: ['s3:PutBucketCORS'],
          resources: [`arn:${Aws.PARTITION}:s3:::${props.bucketName}`],
        }),
      ]),
      installLatestAwsSdk: false,
      // The writer's own log group would be kept two years, and outlive a dev stack (memory/fixes/0173).
      logGroup: new LogGroup(this, 'PutBucketCorsLogs', {
        retention: props.logRetention,
        removalPolicy: props.logRemovalPolicy,
      }),
    });
  }
}
