/**
 * vitest globalSetup of the integration and e2e projects: starts dynalite and fauxqs once (about
 * 0.2 s), provides their environment as `awsEnv`, and stops them after the run.
 * DDB_EMULATOR=ddblocal runs the whole project against DynamoDB Local instead.
 */
import type { TestProject } from 'vitest/node';
import { startEmulators } from '../../infra/local/emulators.js';
import './provided-context.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const emulators = await startEmulators();
  project.provide('awsEnv', emulators.env);
  return () => emulators.stop();
}
