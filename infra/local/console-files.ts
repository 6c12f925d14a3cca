/**
 * Serves the built web console (web/dist, made by `node scripts/build.mjs web`) from the local gateway's
 * origin, as CloudFront serves it when deployed: index.html at `/`, hashed assets cached for a year,
 * `config.json` telling the console where the API is, and the same Content-Security-Policy.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, resolve, sep } from 'node:path';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { consoleContentSecurityPolicy } from '../config/console-policy.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

export interface ConsoleFilesOptions {
  /** The built console; web/dist by default. */
  readonly root: string;
  readonly stage: string;
  /** Where the browser reaches the presigned S3 URLs (the local S3 endpoint's origin). */
  readonly resultsOrigin?: string;
}

export type ConsoleFiles = (method: string, pathname: string) => APIGatewayProxyResult | undefined;

export function consoleFiles(options: ConsoleFilesOptions): ConsoleFiles {
  const root = resolve(options.root);
  const csp = consoleContentSecurityPolicy({
    apiOrigin: null,
    resultsOrigin: options.resultsOrigin ?? null,
  });
  const security = {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
  };
  return (_method, pathname) => {
    if (pathname === '/config.json') {
      // Same origin locally: the console calls the API relative to where it was loaded from.
      return {
        statusCode: 200,
        headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...security },
        body: JSON.stringify({ api_base_url: '', stage: options.stage }),
      };
    }
    const relative = pathname === '/' || pathname === '/index.html' ? 'index.html' : pathname.slice(1);
    let decoded: string;
    try {
      decoded = decodeURIComponent(relative);
    } catch {
      return undefined;
    }
    const file = resolve(root, decoded);
    if (file !== root && !file.startsWith(root + sep)) return undefined;
    if (!existsSync(file) || !statSync(file).isFile()) {
      if (pathname === '/') return notBuilt(security);
      return undefined;
    }
    const immutable = decoded.startsWith('assets/');
    return {
      statusCode: 200,
      headers: {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        ...security,
      },
      body: readFileSync(file).toString('base64'),
      isBase64Encoded: true,
    };
  };
}

function notBuilt(security: Record<string, string>): APIGatewayProxyResult {
  return {
    statusCode: 503,
    headers: { 'content-type': 'text/plain; charset=utf-8', ...security },
    body: 'The web console is not built: run `node scripts/build.mjs web` (npm ci and npm start do it).\n',
  };
}
