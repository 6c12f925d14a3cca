/** S3's error answer (`<Error><Code>…`), for what the local S3 adds on top of fauxqs. */
import type { FastifyReply } from 'fastify';

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The XML body of an S3 error; `fields` adds elements such as ArgumentName / ArgumentValue. */
export function s3ErrorXml(
  code: string,
  message: string,
  fields: Readonly<Record<string, string>> = {},
): string {
  const extra = Object.entries(fields)
    .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${escapeXml(message)}</Message>${extra}</Error>`;
}

export function sendS3Error(
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
  fields?: Readonly<Record<string, string>>,
): FastifyReply {
  return reply
    .status(status)
    .header('content-type', 'application/xml')
    .send(s3ErrorXml(code, message, fields));
}
