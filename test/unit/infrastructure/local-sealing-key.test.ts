/** The local stack's SEALING_KEY (infra/local/sealing-key.ts): random, or kept in the data directory. */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { localSealingKey, SEALING_KEY_FILE } from '../../../infra/local/sealing-key.js';
import { LocalKeySealer } from '../../../lib/infrastructure/index.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sealing-key-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('localSealingKey', () => {
  it('is a fresh 32-byte key per start without a data directory', () => {
    const first = localSealingKey();
    expect(Buffer.from(first, 'base64')).toHaveLength(32);
    expect(localSealingKey()).not.toBe(first);
  });

  it('is kept in <data-dir>/sealing-key (0600), so a sealed password opens after a restart', async () => {
    // Prepare
    const dataDir = join(tempDir(), 'nested');
    const sealed = await new LocalKeySealer(localSealingKey(dataDir)).seal('a password', { job_id: 'j' });
    // Act
    const afterRestart = new LocalKeySealer(localSealingKey(dataDir));
    // Assert
    expect(await afterRestart.unseal(sealed, { job_id: 'j' })).toBe('a password');
    const path = join(dataDir, SEALING_KEY_FILE);
    expect(readFileSync(path, 'utf8').trim()).toBe(localSealingKey(dataDir));
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('refuses a data directory whose sealing-key file holds something else', () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, SEALING_KEY_FILE), 'not a key\n');
    expect(() => localSealingKey(dataDir)).toThrow(/does not hold a sealing key/);
  });
});
