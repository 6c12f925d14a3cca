/**
 * A log group of the stack for CDK's bucket-emptying helper (`autoDeleteObjects: true`). CDK makes
 * that helper as a raw AWS::Lambda::Function with no logging settings, so Lambda would create
 * `/aws/lambda/<function>` on its first run: never expiring, and left behind when the stack is
 * deleted (memory/fixes/0200-bucket-emptying-helper-logs-kept-forever.md).
 */
import { CfnResource, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/** The id CDK gives the helper's provider under its stack (aws-cdk-lib/aws-s3, one per stack). */
const AUTO_DELETE_PROVIDER_ID = 'Custom::S3AutoDeleteObjectsCustomResourceProvider';

export interface AutoDeleteObjectsLogsProps {
  readonly logRetention: RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
}

/**
 * Points the stack's bucket-emptying helper at a log group with the stage's retention and removal
 * policy. Call it after the stack's last bucket: CDK creates the helper with the first bucket that
 * empties itself. Returns the log group, or undefined when the stack has no such bucket.
 */
export function giveAutoDeleteObjectsALogGroup(
  scope: Construct,
  props: AutoDeleteObjectsLogsProps,
): LogGroup | undefined {
  const stack = Stack.of(scope);
  const handler = stack.node.tryFindChild(AUTO_DELETE_PROVIDER_ID)?.node.tryFindChild('Handler');
  if (!(handler instanceof CfnResource)) return undefined;
  const logGroup = new LogGroup(stack, 'AutoDeleteObjectsLogs', {
    retention: props.logRetention,
    removalPolicy: props.logRemovalPolicy,
  });
  // A Ref to the group also makes CloudFormation delete it only after the helper has emptied the buckets.
  handler.addPropertyOverride('LoggingConfig', { LogGroup: logGroup.logGroupName });
  return logGroup;
}
