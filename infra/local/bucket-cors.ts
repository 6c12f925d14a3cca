/**
 * Bucket CORS for the local S3 (fauxqs has none), evaluated as S3 evaluates a bucket's CORS rules:
 * the first rule whose origin and method (and, for a preflight, every requested header) match
 * answers; an actual request that no rule allows is served without CORS headers, so the browser
 * withholds it; a preflight that no rule allows is refused with 403. Origins and headers may hold
 * one `*` wildcard; headers compare case-insensitively, origins exactly.
 */
import { XMLParser } from 'fast-xml-parser';

export const CORS_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'] as const;
export type CorsMethod = (typeof CORS_METHODS)[number];

export interface CorsRule {
  readonly allowedOrigins: readonly string[];
  readonly allowedMethods: readonly CorsMethod[];
  readonly allowedHeaders?: readonly string[];
  readonly exposeHeaders?: readonly string[];
  readonly maxAgeSeconds?: number;
}

/** What the web console needs to read a job's files from a presigned URL. */
export function consoleReadRule(origins: readonly string[]): CorsRule {
  return {
    allowedOrigins: [...origins],
    allowedMethods: ['GET', 'HEAD'],
    allowedHeaders: ['*'],
    exposeHeaders: ['ETag', 'Content-Length', 'Content-Disposition', 'Content-Type', 'Content-Range'],
    maxAgeSeconds: 3000,
  };
}

/** A rejected configuration: the S3 error code and a message naming the element and the rule. */
export class CorsConfigurationError extends Error {
  constructor(
    readonly code: 'MalformedXML' | 'InvalidRequest',
    message: string,
  ) {
    super(message);
  }
}

const MAX_RULES = 100;

function checkPattern(value: string, element: string): void {
  if ((value.match(/\*/g)?.length ?? 0) > 1) {
    throw new CorsConfigurationError('InvalidRequest', `${element} can not have more than one wildcard.`);
  }
}

/** Validates rules as PutBucketCors does; returns them unchanged. */
export function validateCorsRules(rules: readonly CorsRule[]): readonly CorsRule[] {
  if (rules.length === 0 || rules.length > MAX_RULES) {
    throw new CorsConfigurationError('MalformedXML', `CORSConfiguration needs 1 to ${MAX_RULES} CORSRule.`);
  }
  for (const rule of rules) {
    if (rule.allowedOrigins.length === 0 || rule.allowedMethods.length === 0) {
      throw new CorsConfigurationError('MalformedXML', 'CORSRule needs AllowedOrigin and AllowedMethod.');
    }
    for (const method of rule.allowedMethods) {
      if (!CORS_METHODS.includes(method)) {
        throw new CorsConfigurationError(
          'InvalidRequest',
          `AllowedMethod must be one of ${CORS_METHODS.join(', ')}.`,
        );
      }
    }
    for (const origin of rule.allowedOrigins) checkPattern(origin, 'AllowedOrigin');
    for (const header of rule.allowedHeaders ?? []) checkPattern(header, 'AllowedHeader');
    if (
      rule.maxAgeSeconds !== undefined &&
      (!Number.isSafeInteger(rule.maxAgeSeconds) || rule.maxAgeSeconds < 0)
    ) {
      throw new CorsConfigurationError('MalformedXML', 'MaxAgeSeconds must be a whole number of seconds.');
    }
  }
  return rules;
}

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) =>
    ['CORSRule', 'AllowedOrigin', 'AllowedMethod', 'AllowedHeader', 'ExposeHeader'].includes(name),
});

type XmlRule = Partial<
  Record<'AllowedOrigin' | 'AllowedMethod' | 'AllowedHeader' | 'ExposeHeader', unknown[]>
> & {
  MaxAgeSeconds?: unknown;
};

const strings = (values: unknown[] | undefined): string[] =>
  (values ?? []).filter((v): v is string => typeof v === 'string');

/** The body of a PutBucketCors request (`<CORSConfiguration>`) as rules. */
export function parseCorsConfiguration(xml: string): readonly CorsRule[] {
  let document: { CORSConfiguration?: { CORSRule?: XmlRule[] } };
  try {
    document = parser.parse(xml, true) as typeof document;
  } catch {
    throw new CorsConfigurationError('MalformedXML', 'The body is not well-formed XML.');
  }
  const configuration = document.CORSConfiguration;
  if (configuration === undefined) {
    throw new CorsConfigurationError('MalformedXML', 'The body must be one CORSConfiguration element.');
  }
  // An empty element parses as text: a configuration without rules.
  const found = typeof configuration === 'object' ? (configuration.CORSRule ?? []) : [];
  const rules = found.map((rule): CorsRule => {
    const maxAge = rule.MaxAgeSeconds;
    return {
      allowedOrigins: strings(rule.AllowedOrigin),
      allowedMethods: strings(rule.AllowedMethod) as CorsMethod[],
      allowedHeaders: strings(rule.AllowedHeader),
      exposeHeaders: strings(rule.ExposeHeader),
      ...(maxAge === undefined ? {} : { maxAgeSeconds: /^\d+$/.test(String(maxAge)) ? Number(maxAge) : -1 }),
    };
  });
  return validateCorsRules(rules);
}

const escapeXml = (value: string) => value.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The answer of GetBucketCors. */
export function corsConfigurationXml(rules: readonly CorsRule[]): string {
  const element = (name: string, values: readonly string[] | undefined) =>
    (values ?? []).map((v) => `<${name}>${escapeXml(v)}</${name}>`).join('');
  const body = rules
    .map(
      (rule) =>
        `<CORSRule>${element('AllowedHeader', rule.allowedHeaders)}${element('AllowedMethod', rule.allowedMethods)}` +
        `${element('AllowedOrigin', rule.allowedOrigins)}${element('ExposeHeader', rule.exposeHeaders)}` +
        `${rule.maxAgeSeconds === undefined ? '' : `<MaxAgeSeconds>${rule.maxAgeSeconds}</MaxAgeSeconds>`}</CORSRule>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${body}</CORSConfiguration>`;
}

function matches(pattern: string, value: string): boolean {
  const star = pattern.indexOf('*');
  if (star < 0) return pattern === value;
  const head = pattern.slice(0, star);
  const tail = pattern.slice(star + 1);
  return value.length >= head.length + tail.length && value.startsWith(head) && value.endsWith(tail);
}

function findRule(
  rules: readonly CorsRule[],
  origin: string,
  method: string,
  requestHeaders: readonly string[] = [],
): CorsRule | undefined {
  return rules.find(
    (rule) =>
      rule.allowedOrigins.some((pattern) => matches(pattern, origin)) &&
      rule.allowedMethods.includes(method as CorsMethod) &&
      requestHeaders.every((header) =>
        (rule.allowedHeaders ?? []).some((pattern) => matches(pattern.toLowerCase(), header.toLowerCase())),
      ),
  );
}

const VARY = 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method';

function ruleHeaders(rule: CorsRule, origin: string): Record<string, string> {
  const anyOrigin = rule.allowedOrigins.includes('*');
  return {
    'access-control-allow-origin': anyOrigin ? '*' : origin,
    'access-control-allow-methods': rule.allowedMethods.join(', '),
    ...(anyOrigin ? {} : { 'access-control-allow-credentials': 'true' }),
    ...(rule.maxAgeSeconds === undefined ? {} : { 'access-control-max-age': String(rule.maxAgeSeconds) }),
    vary: VARY,
  };
}

/** CORS headers for an actual (non-preflight) request, or undefined when no rule allows it. */
export function corsResponseHeaders(
  rules: readonly CorsRule[],
  request: { origin: string; method: string },
): Record<string, string> | undefined {
  const rule = findRule(rules, request.origin, request.method);
  if (!rule) return undefined;
  const expose = rule.exposeHeaders ?? [];
  return {
    ...ruleHeaders(rule, request.origin),
    ...(expose.length > 0 ? { 'access-control-expose-headers': expose.join(', ') } : {}),
  };
}

export type PreflightResult =
  | { readonly allowed: true; readonly headers: Record<string, string> }
  | { readonly allowed: false; readonly message: string };

/** The answer to an OPTIONS preflight against a bucket with these rules (undefined: no CORS configured). */
export function preflight(
  rules: readonly CorsRule[] | undefined,
  request: { origin: string; method: string; requestHeaders: readonly string[] },
): PreflightResult {
  if (!rules) return { allowed: false, message: 'CORSResponse: CORS is not enabled for this bucket.' };
  const rule = findRule(rules, request.origin, request.method, request.requestHeaders);
  if (!rule) {
    return {
      allowed: false,
      message:
        'CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, ' +
        'request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted ' +
        "by the resource's CORS spec.",
    };
  }
  const headers = ruleHeaders(rule, request.origin);
  if (request.requestHeaders.length > 0) {
    headers['access-control-allow-headers'] = request.requestHeaders.join(', ');
  }
  return { allowed: true, headers };
}

/** `Access-Control-Request-Headers` as a list of names. */
export function requestedHeaders(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h.length > 0);
}
