/**
 * SEALING_KEY of the local stack: the local key that seals job encryption passwords (KMS plays this
 * role in AWS, memory/decisions/0105). Random per start; with a data directory it is kept there as
 * `sealing-key` (mode 0600), so the sealed passwords of jobs stored in DynamoDB still open after a
 * restart.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeDirectory, SealingEnvSchema } from '../../lib/core/index.js';
import { generateSealingKey } from '../../lib/infrastructure/index.js';

export const SEALING_KEY_FILE = 'sealing-key';

/** The key in `dataDir/sealing-key`, created on first use; a fresh one without a data directory. */
export function localSealingKey(dataDir?: string): string {
  if (!dataDir) return generateSealingKey();
  const path = join(dataDir, SEALING_KEY_FILE);
  makeDirectory(dataDir);
  try {
    writeFileSync(path, `${generateSealingKey()}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const key = readFileSync(path, 'utf8').trim();
  if (!SealingEnvSchema.shape.SEALING_KEY.safeParse(key).success) {
    throw new Error(`${path} does not hold a sealing key (32 bytes in base64); remove it to start afresh`);
  }
  return key;
}
