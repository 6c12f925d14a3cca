/**
 * Audit lines of key changes (created, rotated, revoked): one structured INFO line each, message
 * "audit", with the key id, owner and who did it (the key service's KeyAuditEvent), plus whatever the
 * request added to the log context (request id, source IP). Never a secret or a hash.
 */
import type { Logger } from '../../lib/core/index.js';
import type { KeyAuditEvent } from '../../lib/domain/index.js';

export function auditLine(logger: Logger): (event: KeyAuditEvent) => void {
  return (event) => logger.info('audit', { ...event, outcome: 'success' });
}
