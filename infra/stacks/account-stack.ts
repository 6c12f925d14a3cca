/**
 * `<App>-account`: what API Gateway needs once per account and region, outside every stage — the IAM
 * role that lets it write execution and access logs to CloudWatch, set as the account's CloudWatch
 * role. Retained when the stack is deleted: other APIs of the account may log through it too. The
 * stage stacks set `cloudWatchRole: false` and rely on it (README, Deploying).
 */
import { RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { CfnAccount } from 'aws-cdk-lib/aws-apigateway';
import { ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

export class AccountStack extends Stack {
  readonly cloudWatchRole: Role;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    this.cloudWatchRole = new Role(this, 'ApiGatewayCloudWatchRole', {
      description: 'Lets API Gateway write execution and access logs to CloudWatch Logs (account-wide)',
      assumedBy: new ServicePrincipal('apigateway.amazonaws.com'),
      managedPolicies: [
        ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonAPIGatewayPushToCloudWatchLogs'),
      ],
    });
    this.cloudWatchRole.applyRemovalPolicy(RemovalPolicy.RETAIN);
    const account = new CfnAccount(this, 'ApiGatewayAccount', {
      cloudWatchRoleArn: this.cloudWatchRole.roleArn,
    });
    account.applyRemovalPolicy(RemovalPolicy.RETAIN);
    Validations.of(this.cloudWatchRole).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason: 'The AWS-managed policy API Gateway needs to write its execution and access logs.',
    });
  }
}
