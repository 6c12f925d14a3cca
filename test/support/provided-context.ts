/** What the integration and e2e globalSetup hands to tests through `inject`. */
declare module 'vitest' {
  export interface ProvidedContext {
    /** AWS_ENDPOINT_URL_*, credentials and the table, bucket and queue variables of the emulators. */
    awsEnv: Record<string, string>;
  }
}

export {};
