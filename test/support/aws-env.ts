/** Points this test file's AWS SDK clients at the emulators started by the globalSetup. */
import { inject } from 'vitest';
import './provided-context.js';

export function useAwsEnv(): Record<string, string> {
  const env = inject('awsEnv');
  Object.assign(process.env, env);
  return env;
}
