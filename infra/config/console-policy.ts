/**
 * The web console's Content-Security-Policy, one definition for CloudFront (deployed) and the local
 * gateway: scripts, styles and workers only from the console's own origin (the build emits no inline
 * script or style), fetches only to the console itself, the stage's API and the results bucket (a job's
 * patients file is read through a presigned URL), no framing, no plugins.
 */
export interface ConsolePolicyOrigins {
  /** The API's origin when it is not the console's (deployed); null when same-origin (local). */
  readonly apiOrigin: string | null;
  /** The origin presigned result URLs point at (S3's regional endpoint, or the local S3). */
  readonly resultsOrigin: string | null;
}

export function consoleContentSecurityPolicy(origins: ConsolePolicyOrigins): string {
  const connect = ["'self'", origins.apiOrigin, origins.resultsOrigin].filter(Boolean).join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src ${connect}`,
    "worker-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}
